#include "evaluate/html_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/html.hpp"
#include "report/svg.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

using report::Axis;
using report::BarSeries;
using report::Plot;
using report::Series;
using report::Stroke;

constexpr double kPlotWidth = 372, kPlotHeight = 352, kReliabilityHeight = 470;
constexpr std::string_view kBaseline = "#8a8f98";

std::string metric(double v) {
  if (v != 0 && std::abs(v) < 0.001) return fmt::format("{:.2e}", v);
  return fmt::format("{:.4f}", v);
}
std::string metric(const std::optional<double>& v) { return v ? metric(*v) : "–"; }
std::string threshold(double v) { return fmt::format("{:.4g}", v); }

std::string with_ci(const std::optional<double>& v, const std::optional<Interval>& ci) {
  if (!v) return "–";
  if (!ci || !ci->lower || !ci->upper) return metric(*v);
  return fmt::format("{} [{}, {}]", metric(*v), metric(*ci->lower), metric(*ci->upper));
}

std::string short_ci(const std::optional<Interval>& ci, double confidence) {
  if (!ci || !ci->lower || !ci->upper) return "";
  return fmt::format(", {:g}% CI {:.3f}–{:.3f}", confidence * 100, *ci->lower, *ci->upper);
}

// A curve thinned in data space to points at least `tol` apart in x or y (the last point always kept), so
// that a curve with millions of thresholds costs no more to copy than the plot can show.
void thin(const std::vector<double>& x, const std::vector<double>& y, std::vector<double>& ox, std::vector<double>& oy,
          double tol = 1.0 / 2500) {
  ox.clear();
  oy.clear();
  size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    bool keep = i == 0 || i + 1 == n || std::abs(x[i] - ox.back()) >= tol || std::abs(y[i] - oy.back()) >= tol;
    if (keep) {
      ox.push_back(x[i]);
      oy.push_back(y[i]);
    }
  }
}

Axis unit_axis(std::string label) { return Axis{std::move(label), -0.015, 1.015, false, true}; }

std::string pr_plot(const std::vector<const TaskMetrics*>& tasks, double confidence, std::string title) {
  Plot p(std::move(title), unit_axis("recall"), unit_axis("precision"));
  p.css_class("pr-plot").legend(report::LegendPosition::best, report::LegendPosition::lower_left);
  bool one = tasks.size() == 1;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const TaskMetrics& t = *tasks[i];
    if (!t.pr) continue;
    Series s;
    thin(t.pr->recall, t.pr->precision, s.x, s.y);
    s.step = true;
    s.color = std::string(report::palette(i));
    s.css_class = "pr-curve";
    s.label = one ? fmt::format("AUPRC {:.3f}{}", *t.auprc, short_ci(t.auprc_ci, confidence))
                  : fmt::format("{} (AUPRC {:.3f})", t.name, *t.auprc);
    p.add(std::move(s));
  }
  if (one) {
    const TaskMetrics& t = *tasks[0];
    p.add(Series{.label = fmt::format("random (prevalence {})", metric(t.prevalence)), .x = {0, 1},
                 .y = {t.prevalence, t.prevalence}, .color = std::string(kBaseline), .stroke = Stroke::dashed,
                 .width = 1.5, .css_class = "baseline"});
    if (t.best_f1) {
      p.add(Series{.label = fmt::format("best F1 {:.3f} (score ≥ {})", t.best_f1->f1, threshold(t.best_f1->threshold)),
                   .x = {t.best_f1->recall}, .y = {t.best_f1->precision}, .color = "#d62728", .width = 2,
                   .line = false, .markers = true, .css_class = "best-f1"});
    }
  } else {
    double prevalence = 0;
    for (const auto* t : tasks) prevalence += t->prevalence / static_cast<double>(tasks.size());
    p.add(Series{.label = fmt::format("random (mean prevalence {})", metric(prevalence)), .x = {0, 1},
                 .y = {prevalence, prevalence}, .color = std::string(kBaseline), .stroke = Stroke::dashed, .width = 1.5,
                 .css_class = "baseline"});
  }
  return p.svg(kPlotWidth, kPlotHeight);
}

std::string roc_plot(const std::vector<const TaskMetrics*>& tasks, double confidence, std::string title) {
  Plot p(std::move(title), unit_axis("false positive rate"), unit_axis("true positive rate"));
  p.css_class("roc-plot").legend(report::LegendPosition::best, report::LegendPosition::lower_right);
  bool one = tasks.size() == 1;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const TaskMetrics& t = *tasks[i];
    if (!t.roc) continue;
    Series s;
    thin(t.roc->fpr, t.roc->tpr, s.x, s.y);
    s.color = std::string(report::palette(i));
    s.css_class = "roc-curve";
    s.label = one ? fmt::format("AUROC {:.3f}{}", *t.auroc, short_ci(t.auroc_ci, confidence))
                  : fmt::format("{} (AUROC {:.3f})", t.name, *t.auroc);
    p.add(std::move(s));
  }
  p.add(Series{.label = "random (AUROC 0.5)", .x = {0, 1}, .y = {0, 1}, .color = std::string(kBaseline),
               .stroke = Stroke::dashed, .width = 1.5, .css_class = "baseline"});
  return p.svg(kPlotWidth, kPlotHeight);
}

std::string reliability_plot(const Calibration& c, size_t bins, std::string title, std::string_view what) {
  Plot top(std::move(title), Axis{"", -0.015, 1.015, false, true}, unit_axis(std::string(what)));
  top.css_class("reliability-plot").legend(report::LegendPosition::best, report::LegendPosition::upper_left);
  top.add(Series{.label = "perfectly calibrated", .x = {0, 1}, .y = {0, 1}, .color = std::string(kBaseline),
                 .stroke = Stroke::dashed, .width = 1.5, .css_class = "baseline"});
  Series s{.label = fmt::format("ECE {:.4f} ({} equal-width bins)", c.ece, bins), .color = "#1f77b4", .width = 2,
           .markers = true, .css_class = "reliability-curve"};
  BarSeries counts{.label = "", .color = "#a9c4e2", .css_class = "bin-counts"};
  for (const auto& b : c.reliability) {
    s.x.push_back(b.mean_predicted);
    s.y.push_back(b.fraction_positive);
    counts.lower.push_back(b.lower);
    counts.upper.push_back(b.upper);
    counts.height.push_back(static_cast<double>(b.count));
  }
  top.add(std::move(s));
  Plot bottom("", Axis{"mean predicted probability", -0.015, 1.015, false, true}, Axis{"samples", 0, 1, true, true});
  bottom.css_class("bin-count-plot").legend(report::LegendPosition::none);
  bottom.add(std::move(counts));
  report::Figure f;
  f.css_class("reliability-figure").title("reliability diagram and bin counts");
  f.add(std::move(top), 3.1).add(std::move(bottom), 1.25);
  return f.svg(kPlotWidth, kReliabilityHeight);
}

report::Table metrics_table(const Evaluation& ev) {
  const bool multiclass = ev.type == data::TaskType::multiclass;
  report::Table t;
  t.header = {multiclass ? "class" : "task", "samples", multiclass ? "in class" : "positives", "prevalence", "AUPRC",
              "AUROC", "best F1", "at score ≥"};
  for (double l : ev.options.recall_levels) t.header.push_back(fmt::format("precision at recall {:g}", l));
  for (double l : ev.options.precision_levels) t.header.push_back(fmt::format("recall at precision {:g}", l));
  t.header.insert(t.header.end(), {"top-k accuracy", "Brier", "ECE", "ECE (equal mass)"});
  t.numeric.assign(t.header.size(), true);
  t.numeric[0] = false;
  for (const auto& m : ev.tasks) {
    std::vector<std::string> r = {m.name, with_commas(m.samples), with_commas(m.positives), metric(m.prevalence),
                                  with_ci(m.auprc, m.auprc_ci), with_ci(m.auroc, m.auroc_ci),
                                  m.best_f1 ? metric(m.best_f1->f1) : "–", m.best_f1 ? threshold(m.best_f1->threshold) : "–"};
    for (const auto& p : m.precision_at_recall) r.push_back(p.point ? metric(p.point->precision) : "–");
    for (const auto& p : m.recall_at_precision) r.push_back(p.point ? metric(p.point->recall) : "–");
    r.push_back(m.top_k ? metric(m.top_k->accuracy) : "–");
    r.push_back(m.calibration ? metric(m.calibration->brier) : "–");
    r.push_back(m.calibration ? metric(m.calibration->ece) : "–");
    r.push_back(m.calibration ? metric(m.calibration->ece_equal_mass) : "–");
    t.rows.push_back(std::move(r));
  }
  if (ev.tasks.size() > 1) {
    const OverallMetrics& o = ev.overall;
    std::vector<std::string> r = {"macro", with_commas(o.samples), multiclass ? "" : with_commas(o.positives), metric(o.prevalence),
                                  metric(o.auprc_macro), metric(o.auroc_macro), "", ""};
    r.resize(t.header.size());
    t.rows.push_back(r);
    std::vector<std::string> micro = {"micro", "", "", "", metric(o.auprc_micro), metric(o.auroc_micro), "", ""};
    micro.resize(t.header.size() - 3);
    micro.push_back(o.calibration ? metric(o.calibration->brier) : "–");
    micro.push_back(o.calibration ? metric(o.calibration->ece) : "–");
    micro.push_back(o.calibration ? metric(o.calibration->ece_equal_mass) : "–");
    t.rows.push_back(micro);
  }
  t.css_class = "metrics";
  return t;
}

std::string metrics_note(const Evaluation& ev) {
  std::string note = "AUPRC is average precision (scikit-learn's average_precision_score); its random baseline is the "
              "prevalence. AUROC as roc_auc_score. Macro: the mean over tasks where the metric is defined; micro: all "
              "sample-task pairs pooled. Brier and ECE only for probabilities (scores in [0, 1]).";
  if (ev.type == data::TaskType::multiclass) {
    note += " For multi-class, the micro Brier is the multi-class Brier score (summed over classes) and the micro ECE "
            "the top-label ECE.";
  }
  if (ev.options.bootstrap > 0) {
    note += fmt::format(" [low, high]: {:g}% percentile bootstrap intervals from {} replicates (seed {}).",
                        ev.options.confidence * 100, ev.options.bootstrap, ev.options.seed);
  }
  return note;
}

std::vector<report::Tile> headline(const Evaluation& ev) {
  const OverallMetrics& o = ev.overall;
  const bool several = ev.tasks.size() > 1;
  std::vector<report::Tile> tiles;
  tiles.push_back({"samples", with_commas(o.samples),
                   ev.type == data::TaskType::multiclass
                       ? fmt::format("{} classes", ev.tasks.size())
                       : fmt::format("{} positive{}", with_commas(o.positives), several ? " pairs" : "")});
  tiles.push_back({several ? "AUPRC (macro)" : "AUPRC", metric(o.auprc_macro),
                   fmt::format("random: {}{}", metric(o.prevalence),
                               several ? fmt::format(" · micro {}", metric(o.auprc_micro)) : "")});
  tiles.push_back({several ? "AUROC (macro)" : "AUROC", metric(o.auroc_macro),
                   several ? fmt::format("random: 0.5 · micro {}", metric(o.auroc_micro)) : "random: 0.5"});
  if (o.accuracy) tiles.push_back({"accuracy", metric(*o.accuracy), "argmax is the true class"});
  if (o.calibration) {
    tiles.push_back({"Brier score", metric(o.calibration->brier),
                     ev.type == data::TaskType::multiclass ? "multi-class; 0 is perfect" : "0 is perfect"});
    tiles.push_back({"ECE", metric(o.calibration->ece),
                     fmt::format("{} equal-width bins · equal-mass {}", ev.options.bins, metric(o.calibration->ece_equal_mass))});
  }
  return tiles;
}

report::Table confusion_table(const Evaluation& ev) {
  const auto& m = *ev.overall.confusion;
  report::Table t;
  t.header = {"true \\ predicted"};
  for (const auto& task : ev.tasks) t.header.push_back(task.name);
  t.header.push_back("total");
  t.numeric.assign(t.header.size(), true);
  t.numeric[0] = false;
  for (size_t r = 0; r < m.classes; ++r) {
    uint64_t total = 0;
    for (size_t p = 0; p < m.classes; ++p) total += m.at(r, p);
    std::vector<std::string> row = {ev.tasks[r].name}, bg = {""};
    for (size_t p = 0; p < m.classes; ++p) {
      double share = total ? static_cast<double>(m.at(r, p)) / static_cast<double>(total) : 0;
      row.push_back(with_commas(m.at(r, p)));
      // Diagonal cells in blue, errors in orange, shaded by the share of the true class's samples.
      bg.push_back(share == 0 ? "" : r == p ? fmt::format("rgba(31,119,180,{:.2f})", 0.12 + 0.6 * share)
                                          : fmt::format("rgba(255,127,14,{:.2f})", 0.12 + 0.6 * share));
    }
    row.push_back(with_commas(total));
    bg.push_back("");
    t.rows.push_back(std::move(row));
    t.backgrounds.push_back(std::move(bg));
  }
  t.css_class = "confusion";
  t.caption = "Rows: the true class; columns: the predicted class (the highest score). Shading: the share of the "
              "row's samples.";
  return t;
}

void provenance(report::HtmlPage& page, const ReportContext& ctx) {
  report::Table t;
  t.css_class = "kv";
  for (const auto& [k, v] : ctx.inputs) t.rows.push_back({k, v});
  const auto& p = ctx.provenance;
  auto add = [&](const char* label, const char* key) {
    if (p.contains(key)) t.rows.push_back({label, p[key].is_string() ? p[key].get<std::string>() : p[key].dump()});
  };
  add("command line", "command_line");
  add("started (UTC)", "started");
  add("seed", "seed");
  add("threads", "threads");
  if (p.contains("versions")) {
    for (const auto& [name, version] : p["versions"].items()) {
      t.rows.push_back({name, version.is_string() ? version.get<std::string>() : version.dump()});
    }
  }
  page.table(t);
}

}  // namespace

std::string report_html(const Evaluation& ev, const ReportContext& ctx) {
  const bool multiclass = ev.type == data::TaskType::multiclass;
  const double confidence = ev.options.confidence;
  report::HtmlPage page("seqdl evaluate: " + ctx.subject);
  page.heading(1, "Evaluation: " + ctx.subject);
  std::string version = ctx.provenance.contains("versions") ? ctx.provenance["versions"].value("seqdl", "") : "";
  page.paragraph(fmt::format("{} samples · {} · {} {} · seqdl {}{}", with_commas(ev.overall.samples),
                             data::task_type_name(ev.type), ev.tasks.size(),
                             multiclass ? "classes (one-vs-rest)" : ev.tasks.size() == 1 ? "task" : "tasks", version,
                             ctx.provenance.contains("started")
                                 ? " · " + ctx.provenance["started"].get<std::string>()
                                 : ""),
                 "subtitle");
  for (const auto& w : ev.warnings) page.paragraph("Warning: " + w, "warning");
  if (!ev.probabilities) {
    page.paragraph("The scores are not all in [0, 1], so they are not probabilities: no calibration metrics or "
                   "reliability diagrams.",
                   "note");
  }

  page.tiles(headline(ev));
  page.heading(2, "Metrics", "metrics");
  report::Table table = metrics_table(ev);
  if (ev.tasks.size() <= 6) {
    table = report::transposed(table);
    table.header[0] = "metric";
  }
  page.open("card").table(table);
  page.paragraph(metrics_note(ev), "note").close();

  if (multiclass) {
    page.heading(2, "Classes", "classes");
    page.open("card");
    page.paragraph(fmt::format("Accuracy (argmax): {}", metric(ev.overall.accuracy)));
    if (ev.overall.confusion) page.table(confusion_table(ev));
    page.close();
  }

  std::vector<const TaskMetrics*> defined;
  for (const auto& t : ev.tasks) {
    if (t.pr && t.roc && t.auprc && t.auroc) defined.push_back(&t);
  }
  bool overview = defined.size() > 1 && defined.size() <= 10;
  if (overview || (multiclass && ev.overall.calibration)) {
    page.heading(2, multiclass ? "All classes" : "All tasks", "overview");
    page.open("card").open("figures");
    if (overview) {
      page.figure(pr_plot(defined, confidence, "Precision–recall, all"), "Dashed: a random ranking at the mean prevalence.");
      page.figure(roc_plot(defined, confidence, "ROC, all"));
    }
    if (multiclass && ev.overall.calibration) {
      page.figure(reliability_plot(*ev.overall.calibration, ev.options.bins, "Top-label reliability",
                                   "fraction correct"),
                  "Confidence (the highest probability) against accuracy; bars: samples per bin.");
    }
    page.close().close();
  }

  page.heading(2, multiclass ? "Per class (one-vs-rest)" : "Per task", "tasks");
  size_t shown = 0;
  for (const auto& t : ev.tasks) {
    if (shown == ctx.max_task_panels) {
      page.paragraph(fmt::format("{} more {} are in the table above but not plotted here.", ev.tasks.size() - shown,
                                 multiclass ? "classes" : "tasks"),
                     "note");
      break;
    }
    ++shown;
    page.open("card task");
    page.heading(3, fmt::format("{}: {} samples, {} {} (prevalence {})", t.name, with_commas(t.samples),
                                with_commas(t.positives), multiclass ? "in the class" : "positive", metric(t.prevalence)));
    page.open("figures");
    if (t.pr && t.auprc) {
      page.figure(pr_plot({&t}, confidence, "Precision–recall"), "Dashed: a random ranking (precision = prevalence).");
    } else {
      page.paragraph(fmt::format("No precision-recall curve: {}.", t.why_auprc_undefined), "note");
    }
    if (t.roc && t.auroc) {
      page.figure(roc_plot({&t}, confidence, "ROC"));
    } else {
      page.paragraph(fmt::format("No ROC curve: {}.", t.why_auroc_undefined), "note");
    }
    if (t.calibration) {
      page.figure(reliability_plot(*t.calibration, ev.options.bins, "Reliability", "fraction positive"),
                  "Points: observed frequency against mean probability per bin; bars: samples per bin.");
    }
    page.close().close();
  }

  page.heading(2, "Provenance", "provenance");
  page.open("card");
  provenance(page, ctx);
  page.close();
  return page.html();
}

}  // namespace seqdl::evaluate
