#include "report/html.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/svg.hpp"

namespace seqdl::report {
namespace {

constexpr std::string_view kStyle = R"(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d2228;
       font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 4px 0 2px; }
h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d9dde3; }
h3 { font-size: 15px; margin: 18px 0 8px; }
p { margin: 6px 0; }
.subtitle { color: #58616c; margin-bottom: 14px; }
.note { color: #58616c; font-size: 13px; }
.warning { background: #fff6e0; border-left: 4px solid #e6a700; padding: 6px 10px; margin: 6px 0; font-size: 13px; }
.card { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 12px 16px; margin: 12px 0;
        box-shadow: 0 1px 2px rgba(0,0,0,.04); }
.figures { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-start; }
figure { margin: 0; width: min-content; }
figcaption { color: #58616c; font-size: 12px; text-align: center; margin: 2px 6px 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 4px; }
.tile { background: #fff; border: 1px solid #dfe3e8; border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.tile .label { color: #58616c; font-size: 12px; }
.tile .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .detail { color: #58616c; font-size: 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
caption { caption-side: bottom; text-align: left; color: #58616c; font-size: 12px; padding-top: 6px; }
th, td { padding: 4px 9px; border-bottom: 1px solid #e7e9ed; text-align: left; white-space: nowrap; }
thead th { background: #eef1f5; border-bottom: 2px solid #cfd5dd; font-weight: 600; position: sticky; top: 0; }
tbody tr:hover { background: #f7f9fc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.overall th, tr.overall td { font-weight: 600; border-top: 2px solid #cfd5dd; }
table.kv th { color: #58616c; font-weight: 500; vertical-align: top; }
table.kv td { white-space: normal; word-break: break-all; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px; }
table.confusion td { text-align: center; min-width: 54px; }
svg.seqdl-plot { background: #fff; display: block; }
)";

}  // namespace

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

HtmlPage& HtmlPage::heading(int level, std::string_view text, std::string_view id) {
  level = std::clamp(level, 1, 6);
  body_ += fmt::format("<h{0}{1}>{2}</h{0}>\n", level, id.empty() ? "" : fmt::format(" id=\"{}\"", escape(id)),
                       escape(text));
  return *this;
}

HtmlPage& HtmlPage::paragraph(std::string_view text, std::string_view css_class) {
  body_ += fmt::format("<p{}>{}</p>\n", css_class.empty() ? "" : fmt::format(" class=\"{}\"", escape(css_class)),
                       escape(text));
  return *this;
}

HtmlPage& HtmlPage::table(const Table& t) {
  body_ += "<div class=\"scroll\">" + table_html(t) + "</div>\n";
  return *this;
}

HtmlPage& HtmlPage::tiles(const std::vector<Tile>& tiles) {
  body_ += "<div class=\"tiles\">";
  for (const auto& t : tiles) {
    body_ += fmt::format("<div class=\"tile\"><div class=\"label\">{}</div><div class=\"value\">{}</div>", escape(t.label),
                         escape(t.value));
    if (!t.detail.empty()) body_ += fmt::format("<div class=\"detail\">{}</div>", escape(t.detail));
    body_ += "</div>";
  }
  body_ += "</div>\n";
  return *this;
}

HtmlPage& HtmlPage::raw(std::string_view markup) {
  body_ += markup;
  body_ += '\n';
  return *this;
}

HtmlPage& HtmlPage::open(std::string_view css_class) {
  body_ += fmt::format("<div class=\"{}\">\n", escape(css_class));
  ++open_;
  return *this;
}

HtmlPage& HtmlPage::close() {
  if (open_ > 0) {
    body_ += "</div>\n";
    --open_;
  }
  return *this;
}

HtmlPage& HtmlPage::figure(std::string_view svg, std::string_view caption, std::string_view css_class) {
  body_ += fmt::format("<figure{}>", css_class.empty() ? "" : fmt::format(" class=\"{}\"", escape(css_class)));
  body_ += svg;
  if (!caption.empty()) body_ += fmt::format("<figcaption>{}</figcaption>", escape(caption));
  body_ += "</figure>\n";
  return *this;
}

std::string HtmlPage::html() const {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n", escape(title_), kStyle);
  out += body_;
  for (int i = 0; i < open_; ++i) out += "</div>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string table_html(const Table& t) {
  auto numeric = [&](size_t c) { return c < t.numeric.size() && t.numeric[c]; };
  std::string out = fmt::format("<table{}>", t.css_class.empty() ? "" : fmt::format(" class=\"{}\"", escape(t.css_class)));
  if (!t.caption.empty()) out += fmt::format("<caption>{}</caption>", escape(t.caption));
  if (!t.header.empty()) {
    out += "<thead><tr>";
    for (size_t c = 0; c < t.header.size(); ++c) {
      out += fmt::format("<th{}>{}</th>", numeric(c) ? " class=\"num\"" : "", escape(t.header[c]));
    }
    out += "</tr></thead>";
  }
  out += "<tbody>";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    bool overall = !row.empty() && (row[0] == "overall" || row[0] == "macro" || row[0] == "micro");
    out += overall ? "<tr class=\"overall\">" : "<tr>";
    for (size_t c = 0; c < row.size(); ++c) {
      std::string_view tag = c == 0 && t.first_column_header ? "th" : "td";
      std::string style;
      if (r < t.backgrounds.size() && c < t.backgrounds[r].size() && !t.backgrounds[r][c].empty()) {
        style = fmt::format(" style=\"background:{}\"", escape(t.backgrounds[r][c]));
      }
      out += fmt::format("<{0}{1}{2}>{3}</{0}>", tag, numeric(c) ? " class=\"num\"" : "", style, escape(row[c]));
    }
    out += "</tr>";
  }
  out += "</tbody></table>";
  return out;
}

Table transposed(const Table& t) {
  Table out;
  out.css_class = t.css_class;
  out.caption = t.caption;
  size_t columns = t.header.size();
  for (const auto& r : t.rows) columns = std::max(columns, r.size());
  for (size_t c = 0; c < columns; ++c) {
    std::vector<std::string> row;
    row.push_back(c < t.header.size() ? t.header[c] : "");
    for (const auto& r : t.rows) row.push_back(c < r.size() ? r[c] : "");
    if (c == 0) {
      out.header = std::move(row);
    } else {
      out.rows.push_back(std::move(row));
    }
  }
  out.numeric.assign(t.rows.size() + 1, true);
  out.numeric[0] = false;
  return out;
}

}  // namespace seqdl::report
