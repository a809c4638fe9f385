#include "report/svg_draw.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace seqdl::report::draw {
namespace {

constexpr double kFontSize = 12, kTickFont = 11, kTitleFont = 13.5;
constexpr double kLeft = 54, kRight = 14, kTop = 26, kBottom = 42;

// The vertices a series is drawn through, in pixels, thinned to points at least half a pixel apart.
std::vector<Point> vertices(const Series& s, const Mapping& m) {
  std::vector<Point> out;
  size_t n = std::min(s.x.size(), s.y.size());
  out.reserve(std::min<size_t>(n * (s.step ? 2 : 1), 8192));
  auto push = [&](double px_, double py_, bool force) {
    if (!std::isfinite(px_) || !std::isfinite(py_)) return;
    if (!force && !out.empty() && std::abs(px_ - out.back().first) < 0.5 && std::abs(py_ - out.back().second) < 0.5) {
      return;
    }
    out.emplace_back(px_, py_);
  };
  for (size_t i = 0; i < n; ++i) {
    double X = m.x(s.x[i]), Y = m.y(s.y[i]);
    if (s.step && i > 0) push(X, m.y(s.y[i - 1]), false);
    push(X, Y, i + 1 == n || i == 0);
  }
  return out;
}

std::string path_data(const std::vector<Point>& v) {
  std::string d;
  d.reserve(v.size() * 12);
  for (size_t i = 0; i < v.size(); ++i) {
    d += i == 0 ? 'M' : 'L';
    d += px(v[i].first);
    d += ',';
    d += px(v[i].second);
  }
  return d;
}

std::string_view space_if(std::string_view css_class) { return css_class.empty() ? "" : " "; }

void x_axis(std::string& out, const Mapping& m, const Axis& axis) {
  Ticks t = nice_ticks(m.xmin, m.xmax, m.w < 220 ? 4 : 5);
  out += "<g class=\"x-axis\">";
  for (double v : t.values) {
    double X = m.x(v);
    if (axis.grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e3e6ea\"/>", px(X), px(m.y0),
                         px(m.y0 + m.h));
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555\"/>", px(X), px(m.y0 + m.h),
                       px(m.y0 + m.h + 4));
    text(out, X, m.y0 + m.h + 16, tick_label(v, t.decimals), kTickFont, "middle", " fill=\"#333\"");
  }
  if (!axis.label.empty()) {
    text(out, m.x0 + m.w / 2, m.y0 + m.h + 34, axis.label, kFontSize, "middle", " class=\"axis-label\" fill=\"#222\"");
  }
  out += "</g>";
}

void y_axis(std::string& out, const Mapping& m, const Axis& axis, double plot_x) {
  Ticks t = nice_ticks(m.ymin, m.ymax, m.h < 140 ? 3 : 5);
  out += "<g class=\"y-axis\">";
  for (double v : t.values) {
    double Y = m.y(v);
    if (axis.grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e3e6ea\"/>", px(m.x0), px(Y),
                         px(m.x0 + m.w));
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#555\"/>", px(m.x0 - 4), px(Y),
                       px(m.x0));
    text(out, m.x0 - 7, Y + 4, tick_label(v, t.decimals), kTickFont, "end", " fill=\"#333\"");
  }
  if (!axis.label.empty()) {
    double cx = plot_x + 13, cy = m.y0 + m.h / 2;
    text(out, cx, cy, axis.label, kFontSize, "middle",
         fmt::format(" class=\"axis-label\" fill=\"#222\" transform=\"rotate(-90 {} {})\"", px(cx), px(cy)));
  }
  out += "</g>";
}

// Points along a drawn polyline, about every 4 pixels (at most 400 per segment).
void sample_along(std::vector<Point>& drawn, const std::vector<Point>& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    drawn.push_back(v[i]);
    if (i + 1 == v.size()) break;
    double dx = v[i + 1].first - v[i].first, dy = v[i + 1].second - v[i].second;
    auto steps = static_cast<int>(std::min(400.0, std::hypot(dx, dy) / 4));
    for (int k = 1; k < steps; ++k) drawn.emplace_back(v[i].first + dx * k / steps, v[i].second + dy * k / steps);
  }
}

void markers(std::string& out, const Mapping& m, const Series& s) {
  out += fmt::format("<g class=\"markers{}{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\">", space_if(s.css_class),
                     s.css_class, s.color);
  for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
    double X = m.x(s.x[i]), Y = m.y(s.y[i]);
    if (std::isfinite(X) && std::isfinite(Y)) {
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>", px(X), px(Y), px(s.width + 2));
    }
  }
  out += "</g>";
}

struct LegendEntry {
  std::string label, color;
  Stroke stroke;
  bool bar, marker, line;
};

std::vector<LegendEntry> legend_entries(const std::vector<Series>& series, const std::vector<BarSeries>& bars) {
  std::vector<LegendEntry> entries;
  for (const auto& s : series)
    if (!s.label.empty()) entries.push_back({s.label, s.color, s.stroke, false, s.markers, s.line});
  for (const auto& b : bars)
    if (!b.label.empty()) entries.push_back({b.label, b.color, Stroke::solid, true, false, false});
  return entries;
}

// The legend's box: its size, and its top-left corner in each corner position.
struct LegendBox {
  double width, height, row;
  Point corner(const Mapping& m, LegendPosition p) const {
    bool right = p == LegendPosition::upper_right || p == LegendPosition::lower_right;
    bool upper = p == LegendPosition::upper_left || p == LegendPosition::upper_right;
    return {right ? m.x0 + m.w - width - 6 : m.x0 + 6, upper ? m.y0 + 6 : m.y0 + m.h - height - 6};
  }
};

// Points over each bar's area (a 5 x 5 grid), so that the legend avoids covering bars too.
void sample_bars(std::vector<Point>& drawn, const Mapping& m, const std::vector<BarSeries>& bars) {
  for (const auto& b : bars) {
    size_t n = std::min({b.lower.size(), b.upper.size(), b.height.size()});
    for (size_t i = 0; i < n; ++i) {
      for (double f = 0; f <= 1; f += 0.25) {
        for (double g = 0; g <= 1; g += 0.25) {
          drawn.emplace_back(m.x(b.lower[i] + f * (b.upper[i] - b.lower[i])), m.y(0) + g * (m.y(b.height[i]) - m.y(0)));
        }
      }
    }
  }
}

// The corner that hides the fewest drawn points; the preferred one first, so that it wins ties.
LegendPosition best_corner(const Mapping& m, const LegendBox& box, LegendPosition preferred,
                           const std::vector<Point>& drawn) {
  LegendPosition where = preferred;
  size_t fewest = ~size_t{0};
  for (LegendPosition p : {preferred, LegendPosition::lower_right, LegendPosition::upper_right,
                           LegendPosition::lower_left, LegendPosition::upper_left}) {
    auto [cx, cy] = box.corner(m, p);
    size_t hidden = 0;
    for (const auto& [px_, py_] : drawn) {
      hidden += px_ >= cx - 2 && px_ <= cx + box.width + 2 && py_ >= cy - 2 && py_ <= cy + box.height + 2;
    }
    if (hidden < fewest) {
      fewest = hidden;
      where = p;
    }
  }
  return where;
}

void legend_entry(std::string& out, const LegendEntry& e, double lx, double cy) {
  if (e.bar) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"9\" fill=\"{}\"/>", px(lx + 8), px(cy - 4.5),
                       e.color);
  } else {
    if (e.line) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"{4}/>",
                         px(lx + 7), px(lx + 27), px(cy), e.color, dash(e.stroke, 1.6));
    }
    if (e.marker) {
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"/>", px(lx + 17), px(cy), e.color);
    }
  }
  text(out, lx + 33, cy + 4, e.label, 11, "start", " fill=\"#222\"");
}

}  // namespace

std::string px(double v) {
  if (std::abs(v) < 0.05) return "0";
  return fmt::format("{:.1f}", v);
}

std::string dash(Stroke s, double width) {
  switch (s) {
    case Stroke::dashed: return fmt::format(" stroke-dasharray=\"{} {}\"", px(3 * width + 2), px(2 * width + 2));
    case Stroke::dotted: return fmt::format(" stroke-dasharray=\"{} {}\"", px(width), px(2 * width + 1));
    case Stroke::solid: break;
  }
  return "";
}

// Browsers fall back to DejaVu Sans on Linux, whose digits and lowercase letters are about 0.6 em wide.
double text_width(std::string_view text, double size) {
  double w = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    w += c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l' || c == 'j' || c == '(' || c == ')' || c == '['
                 || c == ']' || c == 't' || c == 'f' || c == 'r'
             ? 0.38
         : c == 'm' || c == 'w' || c == 'M' || c == 'W' ? 0.92
         : std::isupper(c)                              ? 0.72
         : c >= 0x80                                    ? 0.84
                                                        : 0.62;
  }
  return w * size;
}

void text(std::string& out, double x, double y, std::string_view content, double size, std::string_view anchor,
          std::string_view extra) {
  out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\"{}>{}</text>", px(x), px(y), size,
                     anchor, extra, escape(content));
}

Mapping data_area(double x, double y, double width, double height, std::pair<double, double> x_range,
                  std::pair<double, double> y_range, bool has_title, bool has_x_label, bool square) {
  auto [xmin, xmax] = x_range;
  auto [ymin, ymax] = y_range;
  if (!(xmax > xmin)) xmax = xmin + 1;
  if (!(ymax > ymin)) ymax = ymin + 1;
  double top = has_title ? kTop : 10;
  double bottom = has_x_label ? kBottom : 24;
  Mapping m{x + kLeft, y + top, width - kLeft - kRight, height - top - bottom, xmin, xmax, ymin, ymax};
  if (square) {
    double side = std::min(m.w, m.h);
    m.w = m.h = side;
  }
  return m;
}

void open_plot(std::string& out, const Mapping& m, std::string_view css_class, unsigned clip_id) {
  out += fmt::format("<g class=\"plot{}{}\">", space_if(css_class), css_class);
  out += fmt::format("<clipPath id=\"seqdl-clip-{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
                     clip_id, px(m.x0 - 1), px(m.y0 - 1), px(m.w + 2), px(m.h + 2));
  out += fmt::format("<rect class=\"plot-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fcfcfd\"/>",
                     px(m.x0), px(m.y0), px(m.w), px(m.h));
}

void axes(std::string& out, const Mapping& m, const Axis& x_axis_, const Axis& y_axis_, double plot_x) {
  x_axis(out, m, x_axis_);
  y_axis(out, m, y_axis_, plot_x);
}

void bars(std::string& out, const Mapping& m, const std::vector<BarSeries>& bars) {
  for (const auto& b : bars) {
    out += fmt::format("<g class=\"bars{}{}\" fill=\"{}\">", space_if(b.css_class), b.css_class, b.color);
    size_t n = std::min({b.lower.size(), b.upper.size(), b.height.size()});
    for (size_t i = 0; i < n; ++i) {
      double x1 = m.x(b.lower[i]), x2 = m.x(b.upper[i]), y1 = m.y(b.height[i]), y0 = m.y(0);
      double gap = std::min(1.0, (x2 - x1) / 4);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", px(x1 + gap), px(std::min(y0, y1)),
                         px(std::max(0.0, x2 - x1 - 2 * gap)), px(std::abs(y0 - y1)));
    }
    out += "</g>";
  }
}

std::vector<Point> series(std::string& out, const Mapping& m, const std::vector<Series>& series) {
  std::vector<Point> drawn;
  for (const auto& s : series) {
    auto v = vertices(s, m);
    if (s.line) sample_along(drawn, v);
    if (s.markers) {
      for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
        for (int k = 0; k < 4; ++k) drawn.emplace_back(m.x(s.x[i]), m.y(s.y[i]));  // a marker weighs 4 points
      }
    }
    if (s.line && v.size() > 1) {
      out += fmt::format("<path class=\"series{}{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
                         "stroke-linejoin=\"round\" stroke-linecap=\"round\"{}/>",
                         space_if(s.css_class), s.css_class, path_data(v), s.color, s.width, dash(s.stroke, s.width));
    }
    if (s.markers) markers(out, m, s);
  }
  return drawn;
}

void bar_labels(std::string& out, const Mapping& m, const std::vector<BarSeries>& bars) {
  for (const auto& b : bars) {
    if (!b.annotate) continue;
    out += "<g class=\"bar-labels\" fill=\"#333\">";
    size_t n = std::min({b.lower.size(), b.upper.size(), b.height.size()});
    for (size_t i = 0; i < n; ++i) {
      double X = (m.x(b.lower[i]) + m.x(b.upper[i])) / 2, Y = m.y(b.height[i]) - 3;
      double h = b.height[i];
      std::string label = h >= 1e6 ? fmt::format("{:.1f}M", h / 1e6)
                          : h >= 1e4 ? fmt::format("{:.0f}k", h / 1e3)
                                     : fmt::format("{:.0f}", h);
      text(out, X, std::max(Y, m.y0 + 9), label, 9.5, "middle");
    }
    out += "</g>";
  }
}

void frame_and_title(std::string& out, const Mapping& m, std::string_view title, double plot_y) {
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#555\"/>", px(m.x0),
                     px(m.y0), px(m.w), px(m.h));
  if (!title.empty()) {
    text(out, m.x0 + m.w / 2, plot_y + 17, title, kTitleFont, "middle",
         " class=\"plot-title\" font-weight=\"600\" fill=\"#111\"");
  }
}

void legend(std::string& out, const Mapping& m, const std::vector<Series>& series, const std::vector<BarSeries>& bars,
            LegendPosition position, LegendPosition preferred, std::vector<Point> drawn) {
  std::vector<LegendEntry> entries = legend_entries(series, bars);
  if (position == LegendPosition::none || entries.empty()) return;
  double label_width = 0;
  for (const auto& e : entries) label_width = std::max(label_width, text_width(e.label, 11));
  const double row = 16;
  const LegendBox box{label_width + 40, row * static_cast<double>(entries.size()) + 8, row};
  if (position == LegendPosition::best) {
    sample_bars(drawn, m, bars);
    position = best_corner(m, box, preferred, drawn);
  }
  auto [lx, ly] = box.corner(m, position);
  out += fmt::format("<g class=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#fff\" "
                     "fill-opacity=\"0.88\" stroke=\"#c8ccd2\"/>",
                     px(lx), px(ly), px(box.width), px(box.height));
  for (size_t i = 0; i < entries.size(); ++i) {
    legend_entry(out, entries[i], lx, ly + 4 + row * (static_cast<double>(i) + 0.5));
  }
  out += "</g>";
}

}  // namespace seqdl::report::draw
