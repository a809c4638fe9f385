#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "report/html.hpp"
#include "report/svg.hpp"

namespace seqdl::report {
namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The d attribute of the first <path> with this class (found without std::regex, whose matcher recurses
// once per character and overflows the stack on long paths).
std::string path_of(const std::string& svg, const std::string& css_class) {
  std::string start = "<path class=\"series " + css_class + "\" d=\"";
  size_t at = svg.find(start);
  if (at == std::string::npos) return "";
  at += start.size();
  return svg.substr(at, svg.find('"', at) - at);
}

}  // namespace

TEST(NiceTicks, UnitInterval) {
  Ticks t = nice_ticks(0, 1);
  ASSERT_EQ(t.values.size(), 6u);
  EXPECT_DOUBLE_EQ(t.values[0], 0);
  EXPECT_NEAR(t.values[3], 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(t.values[5], 1);
  EXPECT_EQ(t.decimals, 1);
  EXPECT_EQ(tick_label(t.values[3], t.decimals), "0.6");
}

TEST(NiceTicks, PaddedUnitIntervalKeepsTheEnds) {
  Ticks t = nice_ticks(-0.015, 1.015);
  EXPECT_DOUBLE_EQ(t.values.front(), 0);
  EXPECT_DOUBLE_EQ(t.values.back(), 1);
}

TEST(NiceTicks, CountsAndOddRanges) {
  Ticks t = nice_ticks(0, 1234);
  EXPECT_EQ(t.decimals, 0);
  EXPECT_DOUBLE_EQ(t.values[1] - t.values[0], 200);
  EXPECT_LE(t.values.back(), 1234);
  Ticks flat = nice_ticks(3, 3);
  EXPECT_FALSE(flat.values.empty());
  Ticks small = nice_ticks(0.001, 0.0042);
  EXPECT_EQ(small.decimals, 4);
  EXPECT_EQ(tick_label(2e6, 0), "2M");
  EXPECT_EQ(tick_label(20000, 0), "20k");
  EXPECT_EQ(tick_label(500, 0), "500");
}

TEST(Escape, MarkupAndQuotes) { EXPECT_EQ(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"); }

TEST(Plot, HasFrameTicksLabelsLegendAndSeries) {
  Plot p("PR <task>", {.label = "recall"}, {.label = "precision"});
  p.add(Series{.label = "AUPRC 0.9", .x = {0, 0.5, 1}, .y = {1, 0.8, 0.5}, .step = true, .css_class = "pr-curve"});
  p.add(Series{.label = "random", .x = {0, 1}, .y = {0.5, 0.5}, .stroke = Stroke::dashed, .css_class = "baseline"});
  std::string svg = p.svg(360, 320);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("PR &lt;task&gt;"), std::string::npos);
  EXPECT_NE(svg.find(">recall<"), std::string::npos);
  EXPECT_NE(svg.find(">precision<"), std::string::npos);
  EXPECT_NE(svg.find(">AUPRC 0.9<"), std::string::npos);
  EXPECT_NE(svg.find("class=\"legend\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_EQ(count(svg, ">0.2<"), 2u);  // a tick label on each axis
  // A post-step through 3 points has 5 vertices: M, then horizontal and vertical segments.
  std::string d = path_of(svg, "pr-curve");
  EXPECT_EQ(count(d, "M"), 1u);
  EXPECT_EQ(count(d, "L"), 4u);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(Plot, DataMapsIntoTheFrame) {
  Plot p("", {.label = "x", .min = 0, .max = 10}, {.label = "y", .min = 0, .max = 1});
  p.add(Series{.x = {0, 10}, .y = {0, 1}, .css_class = "line"});
  std::string d = path_of(p.svg(300, 300), "line");
  // Two vertices: (x0, y0 + h) and (x0 + w, y0).
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  ASSERT_EQ(std::sscanf(d.c_str(), "M%lf,%lfL%lf,%lf", &x1, &y1, &x2, &y2), 4) << d;
  EXPECT_LT(x1, x2);
  EXPECT_GT(y1, y2);
  EXPECT_GE(x1, 40);   // right of the y tick labels
  EXPECT_LE(x2, 300);  // inside the svg
}

TEST(Plot, MillionsOfPointsAreThinnedToWhatThePlotShows) {
  Series s{.css_class = "big"};
  const size_t n = 1'000'000;
  for (size_t i = 0; i < n; ++i) {
    double t = static_cast<double>(i) / (n - 1);
    s.x.push_back(t);
    s.y.push_back(std::sqrt(t));
  }
  Plot p("", {}, {});
  p.add(std::move(s));
  std::string svg = p.svg(360, 320);
  EXPECT_LT(svg.size(), 40'000u);
  std::string d = path_of(svg, "big");
  EXPECT_GT(count(d, "L"), 100u);
}

TEST(Plot, BarsWithCountsAndAutoscale) {
  Plot p("", {.label = "p"}, {.label = "samples", .autoscale = true});
  p.add(BarSeries{.lower = {0, 0.5}, .upper = {0.5, 1}, .height = {1200, 30}, .css_class = "counts"});
  std::string svg = p.svg(300, 120);
  EXPECT_NE(svg.find("class=\"bars counts\""), std::string::npos);
  EXPECT_EQ(count(svg, "<rect x="), 2u + 2u);  // two bars, the clip rectangle and the frame
  EXPECT_NE(svg.find(">1200<"), std::string::npos);
  EXPECT_NE(svg.find(">30<"), std::string::npos);
}

TEST(Figure, StacksPanelsInOneSvg) {
  Figure f;
  f.css_class("reliability-figure").title("t");
  f.add(Plot("top", {}, {}), 3).add(Plot("", {.label = "p"}, {.label = "n"}), 1);
  std::string svg = f.svg(300, 400);
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_EQ(count(svg, "<g class=\"plot"), 2u);
  EXPECT_NE(svg.find("reliability-figure"), std::string::npos);
}

TEST(Html, PageIsSelfContained) {
  HtmlPage page("a & b");
  page.heading(1, "Title <1>").paragraph("text", "note");
  Table t;
  t.header = {"task", "auprc"};
  t.rows = {{"x<y", "0.5"}, {"overall", "0.6"}};
  t.numeric = {false, true};
  page.open("card").table(t).close();
  page.figure(Plot("p", {}, {}).svg(100, 100), "caption");
  std::string html = page.html();
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>a &amp; b</title>"), std::string::npos);
  EXPECT_NE(html.find("<h1>Title &lt;1&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("<th>x&lt;y</th><td class=\"num\">0.5</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"overall\">"), std::string::npos);
  EXPECT_NE(html.find("<figcaption>caption</figcaption>"), std::string::npos);
  for (const char* external : {"<script", "src=", "<link", "@import", "url(http"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST(Plot, BestLegendCornerAvoidsTheData) {
  // A curve hugging the top and the left edge: the legend belongs at the lower right.
  Plot p("", {}, {});
  p.add(Series{.label = "curve", .x = {0.05, 0.05, 0.95}, .y = {0.05, 0.95, 0.95}, .css_class = "c"});
  p.legend(LegendPosition::best, LegendPosition::upper_left);
  std::string svg = p.svg(300, 300);
  size_t at = svg.find("<g class=\"legend\">");
  ASSERT_NE(at, std::string::npos);
  double x = 0, y = 0;
  ASSERT_EQ(std::sscanf(svg.c_str() + at, "<g class=\"legend\"><rect x=\"%lf\" y=\"%lf\"", &x, &y), 2);
  EXPECT_GT(x, 150);  // right half
  EXPECT_GT(y, 150);  // lower half
}

TEST(Html, TransposedTableAndTiles) {
  Table t;
  t.header = {"task", "auprc", "auroc"};
  t.rows = {{"a", "0.5", "0.6"}, {"b", "0.7", "0.8"}};
  Table u = transposed(t);
  EXPECT_EQ(u.header, (std::vector<std::string>{"task", "a", "b"}));
  ASSERT_EQ(u.rows.size(), 2u);
  EXPECT_EQ(u.rows[1], (std::vector<std::string>{"auroc", "0.6", "0.8"}));
  HtmlPage page("x");
  page.tiles({{"AUPRC", "0.93", "random: 0.5"}});
  std::string html = page.html();
  EXPECT_NE(html.find("<div class=\"value\">0.93</div>"), std::string::npos);
  EXPECT_NE(html.find("random: 0.5"), std::string::npos);
}

}  // namespace seqdl::report
