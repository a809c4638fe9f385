#include "evaluate/outputs.hpp"

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

using nlohmann::json;

json number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string cell(const std::optional<double>& v) { return v ? exact_number(*v) : "NA"; }
std::string cell(double v) { return exact_number(v); }

json bins_json(const std::vector<metrics::ReliabilityBin>& bins) {
  json out = json::array();
  for (const auto& b : bins) {
    out.push_back({{"lower", b.lower}, {"upper", b.upper}, {"count", b.count}, {"mean_predicted", b.mean_predicted},
                   {"fraction_positive", b.fraction_positive}});
  }
  return out;
}

json point_json(double level, const std::optional<metrics::OperatingPoint>& p) {
  json j = {{"level", level}};
  j["precision"] = p ? json(p->precision) : json(nullptr);
  j["recall"] = p ? json(p->recall) : json(nullptr);
  j["threshold"] = p ? json(p->threshold) : json(nullptr);
  j["f1"] = p ? json(p->f1) : json(nullptr);
  return j;
}

json interval_json(const std::optional<Interval>& ci) {
  if (!ci) return nullptr;
  return {{"lower", number(ci->lower)}, {"upper", number(ci->upper)}, {"replicates", ci->replicates},
          {"skipped", ci->skipped}};
}

void calibration_json(json& j, const std::optional<Calibration>& c) {
  j["brier"] = c ? json(c->brier) : json(nullptr);
  j["ece"] = c ? json(c->ece) : json(nullptr);
  j["ece_equal_mass"] = c ? json(c->ece_equal_mass) : json(nullptr);
  j["reliability"] = c ? bins_json(c->reliability) : json(nullptr);
  j["reliability_equal_mass"] = c ? bins_json(c->reliability_equal_mass) : json(nullptr);
}

json task_json(const TaskMetrics& t, bool bootstrap) {
  json j = {{"name", t.name}, {"samples", t.samples}, {"positives", t.positives}, {"prevalence", t.prevalence}};
  j["auprc"] = number(t.auprc);
  j["auroc"] = number(t.auroc);
  if (bootstrap) {
    j["auprc_ci"] = interval_json(t.auprc_ci);
    j["auroc_ci"] = interval_json(t.auroc_ci);
  }
  j["best_f1"] = t.best_f1 ? json(t.best_f1->f1) : json(nullptr);
  j["best_f1_threshold"] = t.best_f1 ? json(t.best_f1->threshold) : json(nullptr);
  j["best_f1_precision"] = t.best_f1 ? json(t.best_f1->precision) : json(nullptr);
  j["best_f1_recall"] = t.best_f1 ? json(t.best_f1->recall) : json(nullptr);
  j["precision_at_recall"] = json::array();
  for (const auto& p : t.precision_at_recall) j["precision_at_recall"].push_back(point_json(p.level, p.point));
  j["recall_at_precision"] = json::array();
  for (const auto& p : t.recall_at_precision) j["recall_at_precision"].push_back(point_json(p.level, p.point));
  j["top_k_accuracy"] = t.top_k ? json(t.top_k->accuracy) : json(nullptr);
  j["top_k"] = t.top_k ? json(t.top_k->k) : json(nullptr);
  j["top_k_threshold"] = t.top_k ? json(t.top_k->threshold) : json(nullptr);
  calibration_json(j, t.calibration);
  json undefined = json::object();
  if (!t.why_auprc_undefined.empty()) undefined["auprc"] = t.why_auprc_undefined;
  if (!t.why_auroc_undefined.empty()) undefined["auroc"] = t.why_auroc_undefined;
  j["undefined"] = undefined;
  return j;
}

std::string level_name(double level) { return exact_number(level); }

}  // namespace

nlohmann::json metrics_json(const Evaluation& ev) {
  const bool bootstrap = ev.options.bootstrap > 0;
  json j;
  j["task_type"] = std::string(data::task_type_name(ev.type));
  j["samples"] = ev.overall.samples;
  j["scores_are_probabilities"] = ev.probabilities;
  j["tasks"] = json::array();
  for (const auto& t : ev.tasks) j["tasks"].push_back(task_json(t, bootstrap));
  const OverallMetrics& o = ev.overall;
  json overall = {{"samples", o.samples}, {"pairs", o.pairs}, {"positives", o.positives}, {"prevalence", o.prevalence}};
  overall["auprc"] = number(o.auprc_macro);
  overall["auprc_macro"] = number(o.auprc_macro);
  overall["auprc_micro"] = number(o.auprc_micro);
  overall["auroc"] = number(o.auroc_macro);
  overall["auroc_macro"] = number(o.auroc_macro);
  overall["auroc_micro"] = number(o.auroc_micro);
  calibration_json(overall, o.calibration);
  if (ev.type == data::TaskType::multiclass) {
    overall["calibration_of"] = "top label (the highest probability against whether argmax is the true class)";
    overall["accuracy"] = number(o.accuracy);
    if (o.confusion) {
      json counts = json::array();
      for (size_t t = 0; t < o.confusion->classes; ++t) {
        json row = json::array();
        for (size_t p = 0; p < o.confusion->classes; ++p) row.push_back(o.confusion->at(t, p));
        counts.push_back(row);
      }
      json names = json::array();
      for (const auto& t : ev.tasks) names.push_back(t.name);
      overall["confusion_matrix"] = {{"classes", names}, {"counts", counts}, {"rows", "true class"},
                                     {"columns", "predicted class (argmax)"}};
    }
  }
  j["overall"] = overall;
  j["options"] = {{"recall_levels", ev.options.recall_levels},
                  {"precision_levels", ev.options.precision_levels},
                  {"bins", ev.options.bins},
                  {"bootstrap", ev.options.bootstrap},
                  {"confidence", ev.options.confidence},
                  {"seed", ev.options.seed}};
  j["warnings"] = ev.warnings;
  return j;
}

std::string metrics_tsv(const Evaluation& ev) {
  const bool bootstrap = ev.options.bootstrap > 0;
  std::vector<std::string> header = {"task", "samples", "positives", "prevalence", "auprc"};
  if (bootstrap) header.insert(header.end(), {"auprc_low", "auprc_high"});
  header.push_back("auroc");
  if (bootstrap) header.insert(header.end(), {"auroc_low", "auroc_high"});
  header.insert(header.end(), {"auprc_micro", "auroc_micro", "best_f1", "best_f1_threshold"});
  for (double l : ev.options.recall_levels) header.push_back("precision_at_recall_" + level_name(l));
  for (double l : ev.options.precision_levels) header.push_back("recall_at_precision_" + level_name(l));
  header.insert(header.end(), {"top_k_accuracy", "brier", "ece", "ece_equal_mass", "accuracy"});

  std::string out;
  auto row = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out += '\t';
      out += cells[i];
    }
    out += '\n';
  };
  row(header);
  const std::string na = "NA";
  auto ci = [&](const std::optional<Interval>& v, bool upper) {
    if (!v) return na;
    return cell(upper ? v->upper : v->lower);
  };
  for (const auto& t : ev.tasks) {
    std::vector<std::string> c = {t.name, std::to_string(t.samples), std::to_string(t.positives), cell(t.prevalence),
                                  cell(t.auprc)};
    if (bootstrap) c.insert(c.end(), {ci(t.auprc_ci, false), ci(t.auprc_ci, true)});
    c.push_back(cell(t.auroc));
    if (bootstrap) c.insert(c.end(), {ci(t.auroc_ci, false), ci(t.auroc_ci, true)});
    c.insert(c.end(), {na, na, t.best_f1 ? cell(t.best_f1->f1) : na, t.best_f1 ? cell(t.best_f1->threshold) : na});
    for (const auto& p : t.precision_at_recall) c.push_back(p.point ? cell(p.point->precision) : na);
    for (const auto& p : t.recall_at_precision) c.push_back(p.point ? cell(p.point->recall) : na);
    c.push_back(t.top_k ? cell(t.top_k->accuracy) : na);
    c.push_back(t.calibration ? cell(t.calibration->brier) : na);
    c.push_back(t.calibration ? cell(t.calibration->ece) : na);
    c.push_back(t.calibration ? cell(t.calibration->ece_equal_mass) : na);
    c.push_back(na);
    row(c);
  }
  const OverallMetrics& o = ev.overall;
  std::vector<std::string> c = {"overall", std::to_string(o.samples), std::to_string(o.positives), cell(o.prevalence),
                                cell(o.auprc_macro)};
  if (bootstrap) c.insert(c.end(), {na, na});
  c.push_back(cell(o.auroc_macro));
  if (bootstrap) c.insert(c.end(), {na, na});
  c.insert(c.end(), {cell(o.auprc_micro), cell(o.auroc_micro), na, na});
  for (size_t i = 0; i < ev.options.recall_levels.size() + ev.options.precision_levels.size() + 1; ++i) c.push_back(na);
  c.push_back(o.calibration ? cell(o.calibration->brier) : na);
  c.push_back(o.calibration ? cell(o.calibration->ece) : na);
  c.push_back(o.calibration ? cell(o.calibration->ece_equal_mass) : na);
  c.push_back(o.accuracy ? cell(*o.accuracy) : na);
  row(c);
  return out;
}

void write_curves(const Evaluation& ev, AtomicDir& dir) {
  {
    AtomicFile f(dir.path("pr.tsv"));
    f.write("task\tthreshold\tprecision\trecall\n");
    for (const auto& t : ev.tasks) {
      if (!t.pr) continue;
      const auto& c = *t.pr;
      for (size_t i = 0; i < c.precision.size(); ++i) {
        f.print("{}\t{}\t{}\t{}\n", t.name, i < c.thresholds.size() ? exact_number(c.thresholds[i]) : "NA",
                exact_number(c.precision[i]), exact_number(c.recall[i]));
      }
    }
    f.commit();
  }
  {
    AtomicFile f(dir.path("roc.tsv"));
    f.write("task\tthreshold\tfpr\ttpr\n");
    for (const auto& t : ev.tasks) {
      if (!t.roc) continue;
      const auto& c = *t.roc;
      for (size_t i = 0; i < c.fpr.size(); ++i) {
        f.print("{}\t{}\t{}\t{}\n", t.name, exact_number(c.thresholds[i]), exact_number(c.fpr[i]), exact_number(c.tpr[i]));
      }
    }
    f.commit();
  }
  {
    AtomicFile f(dir.path("reliability.tsv"));
    f.write("task\tbinning\tbin\tlower\tupper\tcount\tmean_predicted\tfraction_positive\n");
    auto write = [&](const std::string& name, const std::optional<Calibration>& c) {
      if (!c) return;
      for (auto [binning, bins] : {std::pair{"equal_width", &c->reliability}, std::pair{"equal_mass", &c->reliability_equal_mass}}) {
        for (size_t b = 0; b < bins->size(); ++b) {
          const auto& r = (*bins)[b];
          f.print("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", name, binning, b + 1, exact_number(r.lower), exact_number(r.upper),
                  r.count, exact_number(r.mean_predicted), exact_number(r.fraction_positive));
        }
      }
    };
    for (const auto& t : ev.tasks) write(t.name, t.calibration);
    if (ev.tasks.size() > 1 || ev.type == data::TaskType::multiclass) {
      write(ev.type == data::TaskType::multiclass ? "top_label" : "pooled", ev.overall.calibration);
    }
    f.commit();
  }
  if (ev.overall.confusion) {
    AtomicFile f(dir.path("confusion.tsv"));
    f.write("true\\predicted");
    for (const auto& t : ev.tasks) f.print("\t{}", t.name);
    f.write("\n");
    const auto& m = *ev.overall.confusion;
    for (size_t r = 0; r < m.classes; ++r) {
      f.write(ev.tasks[r].name);
      for (size_t p = 0; p < m.classes; ++p) f.print("\t{}", m.at(r, p));
      f.write("\n");
    }
    f.commit();
  }
}

}  // namespace seqdl::evaluate
