// A small SVG plotting module for reports: x/y plots with a frame, "nice" ticks, grid lines, axis labels,
// a title and a legend; series drawn as lines, post-steps or markers; bar series (histograms) with their
// counts written above them; panels stacked into one figure. Output is plain SVG text (no scripts, no
// external fonts or styles), sized in CSS pixels, so that an HTML page can inline it.
//
//   report::Plot pr("PR curve", {.label = "recall"}, {.label = "precision"});
//   pr.add({.label = "AUPRC 0.93", .x = recall, .y = precision, .step = true});
//   std::string svg = pr.svg(360, 320);
//
// Curves with millions of points are thinned while drawing: a point within half a pixel of the last one
// drawn is skipped (the last point of a series is always kept), so the SVG stays small.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace seqdl::report {

// Text escaped for XML and HTML content and attribute values (& < > " ').
std::string escape(std::string_view text);

// A colour from a qualitative palette (Tableau 10), cycling: palette(0) is blue, palette(1) orange, ...
std::string_view palette(size_t i);

// Tick positions covering [low, high]: multiples of 1, 2 or 5 x 10^k, about `target` of them, with the
// number of decimals their labels need. low == high is widened to a unit interval around the value.
struct Ticks {
  std::vector<double> values;
  int decimals = 0;
};
Ticks nice_ticks(double low, double high, int target = 5);

// A tick label: the value with `decimals` decimals; large magnitudes in thousands ("12k") or millions ("3M").
std::string tick_label(double value, int decimals);

struct Axis {
  std::string label;
  double min = 0, max = 1;
  bool autoscale = false;  // fit min/max to the data (rounded out to ticks) instead
  bool grid = true;
};

enum class Stroke { solid, dashed, dotted };

struct Series {
  std::string label;  // legend entry ("": none)
  std::vector<double> x, y;
  std::string color;  // "" = the next palette colour
  Stroke stroke = Stroke::solid;
  double width = 2;
  bool step = false;     // post-step: from point i, horizontally to x[i+1], then vertically to y[i+1]
  bool line = true;      // connect the points
  bool markers = false;  // a circle at each point
  std::string css_class;  // class of the <path>/<g> element, so tests and styles can find it
};

// Bars over [lower[i], upper[i]] with height[i], e.g. histogram bins; counts written above each bar.
struct BarSeries {
  std::string label;
  std::vector<double> lower, upper, height;
  std::string color;
  bool annotate = true;
  std::string css_class;
};

// Where the legend goes; `best` (the default) takes the corner that hides the fewest drawn points, the
// preferred corner first when several hide as few.
enum class LegendPosition { none, best, upper_left, upper_right, lower_left, lower_right };

class Plot {
 public:
  Plot(std::string title, Axis x, Axis y);

  Plot& add(Series series);
  Plot& add(BarSeries bars);
  Plot& legend(LegendPosition position, LegendPosition preferred = LegendPosition::lower_right);
  Plot& css_class(std::string name);  // class of the plot's <g> element
  Plot& square(bool on = true);       // keep the data area square (for PR/ROC and reliability plots)

  // Draws into the rectangle (x, y, width, height) of an SVG being built; `out` receives the elements.
  void draw(std::string& out, double x, double y, double width, double height) const;

  // A standalone <svg> element of this size (CSS pixels) holding the plot.
  std::string svg(double width, double height) const;

 private:
  struct Range {
    double min, max;
  };
  Range x_range() const;
  Range y_range() const;

  std::string title_, class_;
  Axis x_, y_;
  std::vector<Series> series_;
  std::vector<BarSeries> bars_;
  LegendPosition legend_ = LegendPosition::best;
  LegendPosition preferred_ = LegendPosition::lower_right;
  bool square_ = false;
};

// Plots stacked vertically in one <svg>, each given a share of the height (e.g. a reliability diagram
// over the histogram of its bin counts).
class Figure {
 public:
  Figure& add(Plot plot, double relative_height = 1.0);
  Figure& css_class(std::string name);
  Figure& title(std::string text);  // the <title> of the svg (a tooltip and an accessible name)
  std::string svg(double width, double height) const;

 private:
  std::vector<std::pair<Plot, double>> panels_;
  std::string class_, title_;
};

}  // namespace seqdl::report
