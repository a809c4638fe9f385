#include "report/svg.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace seqdl::report {
namespace {

constexpr std::string_view kFont = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
constexpr double kFontSize = 12, kTickFont = 11, kTitleFont = 13.5;
constexpr double kLeft = 54, kRight = 14, kTop = 26, kBottom = 42;

// Coordinates with one decimal (a tenth of a pixel) keep the SVG small and exact enough.
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

// Rough width of a text in pixels (no font metrics here), erring wide: browsers fall back to DejaVu Sans on
// Linux, whose digits and lowercase letters are about 0.6 em wide.
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

std::atomic<unsigned> g_clip_ids{0};

struct Mapping {
  double x0, y0, w, h;  // data area in pixels
  double xmin, xmax, ymin, ymax;
  double x(double v) const { return x0 + (v - xmin) / (xmax - xmin) * w; }
  double y(double v) const { return y0 + h - (v - ymin) / (ymax - ymin) * h; }
};

// The vertices a series is drawn through, in pixels, thinned to points at least half a pixel apart.
std::vector<std::pair<double, double>> vertices(const Series& s, const Mapping& m) {
  std::vector<std::pair<double, double>> out;
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

std::string path_data(const std::vector<std::pair<double, double>>& v) {
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

void text(std::string& out, double x, double y, std::string_view content, double size, std::string_view anchor,
          std::string_view extra = "") {
  out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\"{}>{}</text>", px(x), px(y), size,
                     anchor, extra, escape(content));
}

}  // namespace

std::string escape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view palette(size_t i) {
  static constexpr std::array<std::string_view, 10> colours = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return colours[i % colours.size()];
}

Ticks nice_ticks(double low, double high, int target) {
  Ticks t;
  if (!std::isfinite(low) || !std::isfinite(high)) return t;
  if (high < low) std::swap(low, high);
  if (high == low) {
    low -= 0.5;
    high += 0.5;
  }
  double raw = (high - low) / std::max(1, target);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / magnitude;
  double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  double eps = step * 1e-9;
  for (double k = std::ceil((low - eps) / step); k * step <= high + eps; k += 1) {
    double v = k * step;
    t.values.push_back(std::abs(v) < eps ? 0.0 : v);
  }
  t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  return t;
}

std::string tick_label(double value, int decimals) {
  double a = std::abs(value);
  if (a >= 1e6 && decimals == 0) return fmt::format("{:g}M", value / 1e6);
  if (a >= 1e4 && decimals == 0) return fmt::format("{:g}k", value / 1e3);
  return fmt::format("{:.{}f}", value, decimals);
}

Plot::Plot(std::string title, Axis x, Axis y) : title_(std::move(title)), x_(std::move(x)), y_(std::move(y)) {}

Plot& Plot::add(Series series) {
  if (series.color.empty()) series.color = std::string(palette(series_.size()));
  series_.push_back(std::move(series));
  return *this;
}

Plot& Plot::add(BarSeries bars) {
  if (bars.color.empty()) bars.color = "#9fb7d3";
  bars_.push_back(std::move(bars));
  return *this;
}

Plot& Plot::legend(LegendPosition position, LegendPosition preferred) {
  legend_ = position;
  preferred_ = preferred == LegendPosition::none || preferred == LegendPosition::best ? LegendPosition::lower_right
                                                                                      : preferred;
  return *this;
}

Plot& Plot::css_class(std::string name) {
  class_ = std::move(name);
  return *this;
}

Plot& Plot::square(bool on) {
  square_ = on;
  return *this;
}

Plot::Range Plot::x_range() const {
  if (!x_.autoscale) return {x_.min, x_.max};
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_)
    for (double v : s.x)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  for (const auto& b : bars_) {
    for (double v : b.lower) lo = std::min(lo, v);
    for (double v : b.upper) hi = std::max(hi, v);
  }
  if (!(lo <= hi)) return {x_.min, x_.max};
  Ticks t = nice_ticks(lo, hi);
  double step = t.values.size() > 1 ? t.values[1] - t.values[0] : 1;
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step};
}

Plot::Range Plot::y_range() const {
  if (!y_.autoscale) return {y_.min, y_.max};
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_)
    for (double v : s.y)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  for (const auto& b : bars_) {
    lo = std::min(lo, 0.0);
    for (double v : b.height) hi = std::max(hi, v * 1.18);  // room for the count above the tallest bar
  }
  if (!(lo <= hi)) return {y_.min, y_.max};
  if (lo == hi) hi = lo + 1;
  Ticks t = nice_ticks(lo, hi, 3);
  double step = t.values.size() > 1 ? t.values[1] - t.values[0] : 1;
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step};
}

void Plot::draw(std::string& out, double x, double y, double width, double height) const {
  Range xr = x_range(), yr = y_range();
  if (!(xr.max > xr.min)) xr.max = xr.min + 1;
  if (!(yr.max > yr.min)) yr.max = yr.min + 1;
  double top = title_.empty() ? 10 : kTop;
  double bottom = x_.label.empty() ? 24 : kBottom;
  Mapping m{x + kLeft, y + top, width - kLeft - kRight, height - top - bottom, xr.min, xr.max, yr.min, yr.max};
  if (square_) {
    double side = std::min(m.w, m.h);
    m.w = m.h = side;
  }
  unsigned clip = ++g_clip_ids;
  out += fmt::format("<g class=\"plot{}{}\">", class_.empty() ? "" : " ", class_);
  out += fmt::format("<clipPath id=\"seqdl-clip-{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
                     clip, px(m.x0 - 1), px(m.y0 - 1), px(m.w + 2), px(m.h + 2));
  out += fmt::format("<rect class=\"plot-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fcfcfd\"/>",
                     px(m.x0), px(m.y0), px(m.w), px(m.h));

  // Grid and ticks.
  Ticks xt = nice_ticks(xr.min, xr.max, m.w < 220 ? 4 : 5), yt = nice_ticks(yr.min, yr.max, m.h < 140 ? 3 : 5);
  out += "<g class=\"x-axis\">";
  for (double v : xt.values) {
    double X = m.x(v);
    if (x_.grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e3e6ea\"/>", px(X), px(m.y0),
                         px(m.y0 + m.h));
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555\"/>", px(X), px(m.y0 + m.h),
                       px(m.y0 + m.h + 4));
    text(out, X, m.y0 + m.h + 16, tick_label(v, xt.decimals), kTickFont, "middle", " fill=\"#333\"");
  }
  if (!x_.label.empty()) {
    text(out, m.x0 + m.w / 2, m.y0 + m.h + 34, x_.label, kFontSize, "middle", " class=\"axis-label\" fill=\"#222\"");
  }
  out += "</g><g class=\"y-axis\">";
  for (double v : yt.values) {
    double Y = m.y(v);
    if (y_.grid) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e3e6ea\"/>", px(m.x0), px(Y),
                         px(m.x0 + m.w));
    }
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#555\"/>", px(m.x0 - 4), px(Y),
                       px(m.x0));
    text(out, m.x0 - 7, Y + 4, tick_label(v, yt.decimals), kTickFont, "end", " fill=\"#333\"");
  }
  if (!y_.label.empty()) {
    double cx = x + 13, cy = m.y0 + m.h / 2;
    text(out, cx, cy, y_.label, kFontSize, "middle",
         fmt::format(" class=\"axis-label\" fill=\"#222\" transform=\"rotate(-90 {} {})\"", px(cx), px(cy)));
  }
  out += "</g>";

  // Data, clipped to the plot area.
  out += fmt::format("<g clip-path=\"url(#seqdl-clip-{})\">", clip);
  for (const auto& b : bars_) {
    out += fmt::format("<g class=\"bars{}{}\" fill=\"{}\">", b.css_class.empty() ? "" : " ", b.css_class, b.color);
    size_t n = std::min({b.lower.size(), b.upper.size(), b.height.size()});
    for (size_t i = 0; i < n; ++i) {
      double x1 = m.x(b.lower[i]), x2 = m.x(b.upper[i]), y1 = m.y(b.height[i]), y0 = m.y(0);
      double gap = std::min(1.0, (x2 - x1) / 4);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", px(x1 + gap), px(std::min(y0, y1)),
                         px(std::max(0.0, x2 - x1 - 2 * gap)), px(std::abs(y0 - y1)));
    }
    out += "</g>";
  }
  std::vector<std::pair<double, double>> drawn;  // sample points along what was drawn, for the legend
  auto sample = [&](const std::vector<std::pair<double, double>>& v) {
    for (size_t i = 0; i < v.size(); ++i) {
      drawn.push_back(v[i]);
      if (i + 1 == v.size()) break;
      double dx = v[i + 1].first - v[i].first, dy = v[i + 1].second - v[i].second;
      auto steps = static_cast<int>(std::min(400.0, std::hypot(dx, dy) / 4));
      for (int k = 1; k < steps; ++k) drawn.emplace_back(v[i].first + dx * k / steps, v[i].second + dy * k / steps);
    }
  };
  for (const auto& s : series_) {
    auto v = vertices(s, m);
    if (s.line) sample(v);
    if (s.markers) {
      for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
        for (int k = 0; k < 4; ++k) drawn.emplace_back(m.x(s.x[i]), m.y(s.y[i]));
      }
    }
    if (s.line && v.size() > 1) {
      out += fmt::format("<path class=\"series{}{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
                         "stroke-linejoin=\"round\" stroke-linecap=\"round\"{}/>",
                         s.css_class.empty() ? "" : " ", s.css_class, path_data(v), s.color, s.width,
                         dash(s.stroke, s.width));
    }
    if (s.markers) {
      out += fmt::format("<g class=\"markers{}{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\">",
                         s.css_class.empty() ? "" : " ", s.css_class, s.color);
      for (size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
        double X = m.x(s.x[i]), Y = m.y(s.y[i]);
        if (std::isfinite(X) && std::isfinite(Y)) {
          out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>", px(X), px(Y), px(s.width + 2));
        }
      }
      out += "</g>";
    }
  }
  out += "</g>";
  // Bar counts go above the bars, outside the clip so that a label near the top stays readable.
  for (const auto& b : bars_) {
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
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#555\"/>", px(m.x0),
                     px(m.y0), px(m.w), px(m.h));
  if (!title_.empty()) {
    text(out, m.x0 + m.w / 2, y + 17, title_, kTitleFont, "middle", " class=\"plot-title\" font-weight=\"600\" fill=\"#111\"");
  }

  // Legend.
  struct Entry {
    std::string label, color;
    Stroke stroke;
    bool bar, marker, line;
  };
  std::vector<Entry> entries;
  for (const auto& s : series_)
    if (!s.label.empty()) entries.push_back({s.label, s.color, s.stroke, false, s.markers, s.line});
  for (const auto& b : bars_)
    if (!b.label.empty()) entries.push_back({b.label, b.color, Stroke::solid, true, false, false});
  if (legend_ != LegendPosition::none && !entries.empty()) {
    double lw = 0;
    for (const auto& e : entries) lw = std::max(lw, text_width(e.label, 11));
    double bw = lw + 40, row = 16, bh = row * static_cast<double>(entries.size()) + 8;
    auto corner = [&](LegendPosition p) {
      bool right = p == LegendPosition::upper_right || p == LegendPosition::lower_right;
      bool upper = p == LegendPosition::upper_left || p == LegendPosition::upper_right;
      return std::pair{right ? m.x0 + m.w - bw - 6 : m.x0 + 6, upper ? m.y0 + 6 : m.y0 + m.h - bh - 6};
    };
    LegendPosition where = legend_;
    for (const auto& b : bars_) {
      size_t n = std::min({b.lower.size(), b.upper.size(), b.height.size()});
      for (size_t i = 0; i < n; ++i) {
        for (double f = 0; f <= 1; f += 0.25) {
          for (double g = 0; g <= 1; g += 0.25) {
            drawn.emplace_back(m.x(b.lower[i] + f * (b.upper[i] - b.lower[i])), m.y(0) + g * (m.y(b.height[i]) - m.y(0)));
          }
        }
      }
    }
    if (where == LegendPosition::best) {
      size_t fewest = ~size_t{0};
      for (LegendPosition p : {preferred_, LegendPosition::lower_right, LegendPosition::upper_right,
                               LegendPosition::lower_left, LegendPosition::upper_left}) {
        auto [cx, cy] = corner(p);
        size_t hidden = 0;
        for (const auto& [px_, py_] : drawn) hidden += px_ >= cx - 2 && px_ <= cx + bw + 2 && py_ >= cy - 2 && py_ <= cy + bh + 2;
        if (hidden < fewest) {
          fewest = hidden;
          where = p;
        }
      }
    }
    auto [lx, ly] = corner(where);
    out += fmt::format("<g class=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#fff\" "
                       "fill-opacity=\"0.88\" stroke=\"#c8ccd2\"/>",
                       px(lx), px(ly), px(bw), px(bh));
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      double cy = ly + 4 + row * (static_cast<double>(i) + 0.5);
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
    out += "</g>";
  }
  out += "</g>";
}

std::string Plot::svg(double width, double height) const {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seqdl-plot\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"{2}\">",
      width, height, kFont);
  if (!title_.empty()) out += fmt::format("<title>{}</title>", escape(title_));
  draw(out, 0, 0, width, height);
  out += "</svg>";
  return out;
}

Figure& Figure::add(Plot plot, double relative_height) {
  panels_.emplace_back(std::move(plot), relative_height);
  return *this;
}

Figure& Figure::css_class(std::string name) {
  class_ = std::move(name);
  return *this;
}

Figure& Figure::title(std::string text_) {
  title_ = std::move(text_);
  return *this;
}

std::string Figure::svg(double width, double height) const {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seqdl-plot{3}{4}\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"{2}\">",
      width, height, kFont, class_.empty() ? "" : " ", class_);
  if (!title_.empty()) out += fmt::format("<title>{}</title>", escape(title_));
  double total = 0;
  for (const auto& [plot, share] : panels_) total += share;
  double y = 0;
  for (const auto& [plot, share] : panels_) {
    double h = height * share / total;
    plot.draw(out, 0, y, width, h);
    y += h;
  }
  out += "</svg>";
  return out;
}

}  // namespace seqdl::report
