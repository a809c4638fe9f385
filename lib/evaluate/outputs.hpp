// What `seqdl evaluate` writes: the metrics table (TSV), the same as JSON, and the curve points.
//
// TSV: one row per task (per class for multi-class), then an `overall` row; numbers in full precision
// (the shortest text that reads back to the same double), NA where a metric is undefined or does not
// apply. Columns: task samples positives prevalence auprc [auprc_low auprc_high] auroc [auroc_low
// auroc_high] auprc_micro auroc_micro best_f1 best_f1_threshold precision_at_recall_<level>...
// recall_at_precision_<level>... top_k_accuracy brier ece ece_equal_mass accuracy. In the overall row
// auprc and auroc are the macro averages and positives counts positive sample-task pairs.
//
// JSON: {"task_type", "samples", "scores_are_probabilities", "tasks": [...], "overall": {...}, "options",
// "warnings"} with plain metric names (auprc, auroc, brier, ece, ...) and null for undefined metrics.
//
// Curves (a folder): pr.tsv (task threshold precision recall, in scikit-learn's order), roc.tsv (task
// threshold fpr tpr), reliability.tsv (task binning bin lower upper count mean_predicted
// fraction_positive) and, for multi-class, confusion.tsv (rows: true class, columns: predicted class).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "evaluate/metric_set.hpp"
#include "util/atomic_file.hpp"

namespace seqdl::evaluate {

std::string metrics_tsv(const Evaluation& ev);
nlohmann::json metrics_json(const Evaluation& ev);

// Writes pr.tsv, roc.tsv, reliability.tsv (and confusion.tsv) into the folder (the caller commits it).
// The curves must have been kept (MetricOptions::curves).
void write_curves(const Evaluation& ev, AtomicDir& dir);

}  // namespace seqdl::evaluate
