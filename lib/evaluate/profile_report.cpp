#include "evaluate/profile_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/svg.hpp"

namespace seqdl::evaluate {
namespace {

using report::Axis;
using report::Plot;
using report::Series;

std::string example_plot(const ProfileExamplePlot& e) {
  report::Figure f;
  f.css_class("profile-example").title(e.id);
  for (size_t c = 0; c < e.observed.size(); ++c) {
    const auto n = e.observed[c].size();
    std::vector<double> x(n);
    for (size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
    const std::string title = fmt::format("{}{} (JSD {:.3f})", e.id, e.channels.size() > 1 ? ", " + e.channels[c] : "", e.jsd);
    Plot p(title, Axis{c + 1 == e.observed.size() ? "position in the output window" : "", 0, static_cast<double>(n)},
           Axis{"counts", 0, 1, true, true});
    p.legend(report::LegendPosition::best, report::LegendPosition::upper_right);
    p.add(Series{.label = "observed", .x = x, .y = e.observed[c], .color = "#8a8f98", .width = 1, .css_class = "observed"});
    p.add(Series{.label = "predicted", .x = x, .y = e.predicted[c], .color = "#d62728", .width = 1.5,
                 .css_class = "predicted"});
    f.add(std::move(p));
  }
  return f.svg(760, 190.0 * static_cast<double>(std::max<size_t>(e.observed.size(), 1)));
}

std::string counts_scatter(const ProfileReportData& d) {
  double lo = 0, hi = 1;
  for (double v : d.observed_log_counts) hi = std::max(hi, v);
  for (double v : d.predicted_log_counts) hi = std::max(hi, v);
  hi = std::ceil(hi);
  Plot p("predicted vs observed log(1 + total)", Axis{"observed log(1 + total)", lo, hi},
         Axis{"predicted log(1 + total)", lo, hi});
  p.css_class("counts-scatter").square().legend(report::LegendPosition::best, report::LegendPosition::lower_right);
  p.add(Series{.label = "y = x", .x = {lo, hi}, .y = {lo, hi}, .color = "#8a8f98", .stroke = report::Stroke::dashed,
               .width = 1, .css_class = "baseline"});
  p.add(Series{.label = fmt::format("{} peaks", d.observed_log_counts.size()), .x = d.observed_log_counts,
               .y = d.predicted_log_counts, .color = "#1f77b4", .width = 1, .line = false, .markers = true,
               .css_class = "points"});
  return p.svg(420, 400);
}

std::string figure(const ProfileReportData& d, const std::string& key) {
  for (const auto& [k, v] : d.figures) {
    if (k == key) return v;
  }
  return "NA";
}

// The headline numbers, each beside what the average-profile baseline reaches (profile models only).
std::vector<report::Tile> headline(const ProfileReportData& d) {
  if (figure(d, "profile_jsd_median") == "NA" && figure(d, "counts_pearson") == "NA") return {};
  return {{"counts Pearson", figure(d, "counts_pearson"), "Spearman " + figure(d, "counts_spearman")},
          {"median profile JSD", figure(d, "profile_jsd_median"), "baseline " + figure(d, "baseline_jsd_median") + " (lower is better)"},
          {"median profile Pearson", figure(d, "profile_pearson_median"), "baseline " + figure(d, "baseline_pearson_median")},
          {"AUPRC, peaks vs background", figure(d, "auprc"), "AUROC " + figure(d, "auroc")}};
}

}  // namespace

std::string profile_report_html(const ProfileReportData& d) {
  report::HtmlPage page("seqdl evaluate: " + d.subject);
  page.heading(1, "Profile model evaluation");
  page.paragraph(d.subject);
  if (auto tiles = headline(d); !tiles.empty()) page.tiles(tiles);
  report::Table inputs{.header = {"input", "value"}};
  for (const auto& [k, v] : d.inputs) inputs.rows.push_back({k, v.empty() ? "none" : v});
  page.table(inputs);
  page.heading(2, "Figures", "figures");
  report::Table figures{.header = {"metric", "value"}, .numeric = {false, true}};
  for (const auto& [k, v] : d.figures) figures.rows.push_back({k, v});
  page.table(figures);
  page.paragraph("JSD: Jensen-Shannon distance (natural log, as scipy's jensenshannon) between the observed counts and "
                 "the predicted profile of each peak with reads, median over peaks; the baseline predicts the average "
                 "normalised profile of the training peaks. Counts: predicted vs observed log(1 + total reads in the "
                 "output window).");
  page.heading(2, "Counts", "counts");
  page.figure(counts_scatter(d), "Each point is a peak (and strand): the counts head's prediction against the reads.");
  page.heading(2, "Profiles of some peaks", "profiles");
  if (!d.examples.empty()) {
    page.paragraph(fmt::format("The {} evaluated peaks with the most reads: observed reads per base (grey) and the "
                               "model's expected reads, softmax(profile) x predicted total (red).", d.examples.size()));
  }
  for (const auto& e : d.examples) page.figure(example_plot(e));
  if (d.provenance.is_object()) {
    page.heading(2, "Provenance", "provenance");
    report::Table prov{.header = {"field", "value"}};
    for (const auto& [k, v] : d.provenance.items()) prov.rows.push_back({k, v.is_string() ? v.get<std::string>() : v.dump()});
    page.table(prov);
  }
  return page.html();
}

}  // namespace seqdl::evaluate
