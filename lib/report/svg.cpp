#include "report/svg.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "report/svg_draw.hpp"

namespace seqdl::report {
namespace {

constexpr std::string_view kFont = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

// Clip-path ids unique within a process, so that plots inlined side by side in one page never share one.
std::atomic<unsigned> g_clip_ids{0};

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
  const draw::Mapping m = draw::data_area(x, y, width, height, {xr.min, xr.max}, {yr.min, yr.max}, !title_.empty(),
                                          !x_.label.empty(), square_);
  const unsigned clip = ++g_clip_ids;
  draw::open_plot(out, m, class_, clip);
  draw::axes(out, m, x_, y_, x);
  // Data, clipped to the plot area.
  out += fmt::format("<g clip-path=\"url(#seqdl-clip-{})\">", clip);
  draw::bars(out, m, bars_);
  std::vector<draw::Point> drawn = draw::series(out, m, series_);
  out += "</g>";
  // Bar counts go above the bars, outside the clip so that a label near the top stays readable.
  draw::bar_labels(out, m, bars_);
  draw::frame_and_title(out, m, title_, y);
  draw::legend(out, m, series_, bars_, legend_, preferred_, std::move(drawn));
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
