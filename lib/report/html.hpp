// One self-contained HTML page for reports: an inline stylesheet (system fonts only), headings, text,
// tables and inline SVG figures; no scripts, no external resources. Text is escaped here; raw() takes
// markup the caller built (e.g. Plot::svg()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seqdl::report {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;                          // per column: right-aligned, tabular digits
  std::vector<std::vector<std::string>> backgrounds;  // optional per-cell CSS colours (a heat map), "" = none
  std::string css_class;
  std::string caption;
  bool first_column_header = true;  // the first cell of each row is a <th>
};

// A headline number: a label over a big value, with a line of detail under it.
struct Tile {
  std::string label, value, detail;
};

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);

  HtmlPage& heading(int level, std::string_view text, std::string_view id = {});
  HtmlPage& paragraph(std::string_view text, std::string_view css_class = {});
  HtmlPage& table(const Table& table);
  HtmlPage& tiles(const std::vector<Tile>& tiles);
  HtmlPage& raw(std::string_view markup);
  // <div class="..."> ... </div> around what is added in between.
  HtmlPage& open(std::string_view css_class);
  HtmlPage& close();
  // A figure: markup (an svg) with a caption under it.
  HtmlPage& figure(std::string_view svg, std::string_view caption = {}, std::string_view css_class = {});

  // The whole document.
  std::string html() const;

 private:
  std::string title_, body_;
  int open_ = 0;
};

// A table as HTML (also usable inside raw()).
std::string table_html(const Table& table);

// The table turned around: columns become rows (the header becomes the first column).
Table transposed(const Table& table);

}  // namespace seqdl::report
