// `seqdl evaluate --report report.html`: one self-contained page (inline SVG and CSS, no scripts, no
// external fonts) with the metrics table, per task (per class one-vs-rest) the precision-recall curve
// against the prevalence baseline, the ROC curve against the diagonal and the reliability diagram over its
// bin counts, for multi-class the confusion matrix and the top-label reliability diagram, the warnings and
// the run provenance. Every plot is an <svg class="seqdl-plot ..."> whose curves are <path class="series
// ..."> elements (pr-curve, roc-curve, reliability-curve, baseline), so a test can find them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluate/metric_set.hpp"

namespace seqdl::evaluate {

struct ReportContext {
  std::string subject;                                      // what was evaluated, for the title
  std::vector<std::pair<std::string, std::string>> inputs;  // e.g. {"model", "m.seqdl"}, {"data", "valid.tsv"}
  nlohmann::json provenance;                                // run_provenance().to_json()
  size_t max_task_panels = 24;                              // per-task figures beyond this are left out
};

// The page; the evaluation must hold its curves (MetricOptions::curves).
std::string report_html(const Evaluation& ev, const ReportContext& context);

}  // namespace seqdl::evaluate
