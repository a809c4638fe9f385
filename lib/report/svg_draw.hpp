// The parts Plot::draw is made of (private to lib/report): the data area's pixel mapping, SVG text helpers,
// and one function per layer of a plot (axes, bars, series, bar labels, frame and title, legend), each
// appending its elements to `out` in drawing order.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/svg.hpp"

namespace seqdl::report::draw {

using Point = std::pair<double, double>;  // pixels

// The data area in pixels and the data ranges it shows.
struct Mapping {
  double x0, y0, w, h;
  double xmin, xmax, ymin, ymax;
  double x(double v) const { return x0 + (v - xmin) / (xmax - xmin) * w; }
  double y(double v) const { return y0 + h - (v - ymin) / (ymax - ymin) * h; }
};

// A coordinate with one decimal (a tenth of a pixel keeps the SVG small and exact enough).
std::string px(double v);
// The stroke-dasharray attribute of a stroke style ("" for solid).
std::string dash(Stroke s, double width);
// Rough width of a text in pixels, erring wide (no font metrics here).
double text_width(std::string_view text, double size);
// A <text> element; `extra` holds more attributes, starting with a space.
void text(std::string& out, double x, double y, std::string_view content, double size, std::string_view anchor,
          std::string_view extra = "");

// Where the plot's parts go inside the rectangle (x, y, width, height): margins for the tick labels, the
// axis labels and the title; square keeps the data area square.
Mapping data_area(double x, double y, double width, double height, std::pair<double, double> x_range,
                  std::pair<double, double> y_range, bool has_title, bool has_x_label, bool square);

// Opens the plot's <g> (closed by the caller) with the clip path of the data area and its background.
void open_plot(std::string& out, const Mapping& m, std::string_view css_class, unsigned clip_id);
// Grid lines, ticks, tick labels and axis labels; `plot_x` is the plot's left edge (the y label's place).
void axes(std::string& out, const Mapping& m, const Axis& x_axis, const Axis& y_axis, double plot_x);
void bars(std::string& out, const Mapping& m, const std::vector<BarSeries>& bars);
// Draws the series and returns points sampled along what was drawn (for placing the legend).
std::vector<Point> series(std::string& out, const Mapping& m, const std::vector<Series>& series);
// The counts above the bars.
void bar_labels(std::string& out, const Mapping& m, const std::vector<BarSeries>& bars);
// The frame around the data area and the title above it; `plot_y` is the plot's top edge.
void frame_and_title(std::string& out, const Mapping& m, std::string_view title, double plot_y);
// The legend of the labelled series and bars; `drawn` are the points sampled along the series.
void legend(std::string& out, const Mapping& m, const std::vector<Series>& series, const std::vector<BarSeries>& bars,
            LegendPosition position, LegendPosition preferred, std::vector<Point> drawn);

}  // namespace seqdl::report::draw
