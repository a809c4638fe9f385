// The metric set `seqdl evaluate` reports, computed by lib/metrics (scikit-learn's definitions and tie
// handling) from a ScoredSet: per task, or per class one-vs-rest, and overall.
//
// Per task: samples, positives, prevalence (the AUPRC of a random ranking), AUPRC, AUROC (with percentile
// bootstrap intervals when asked), precision at fixed recall levels, recall at fixed precision levels, the
// best F1 and its threshold, SpliceAI's top-k accuracy and, when the scores are probabilities (all in
// [0, 1]), the Brier score, the ECE with equal-width and equal-mass bins and the reliability curve.
//
// Overall: AUPRC and AUROC macro (mean over the tasks where they are defined, the number `seqdl train`
// reports as valid AUPRC) and micro (every sample-task pair pooled); the pooled prevalence; for
// probabilities the Brier score and ECE: those of the one task (binary), of every pair pooled
// (multi-label), or for multi-class the multi-class Brier score (the mean over samples of the summed
// squared error over classes) and the top-label ECE (confidence = the highest probability, correct =
// argmax is the label); multi-class also the accuracy (argmax) and the confusion matrix.
//
// A metric the labels leave undefined (AUPRC without positives, AUROC with one class only) is nullopt
// and its reason is in `warnings` (also logged), never NaN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evaluate/scored_set.hpp"
#include "metrics/binary.hpp"
#include "metrics/bootstrap.hpp"
#include "metrics/calibration.hpp"
#include "metrics/multiclass.hpp"

namespace seqdl::evaluate {

struct MetricOptions {
  std::vector<double> recall_levels = {0.5, 0.9};     // precision at recall >= each
  std::vector<double> precision_levels = {0.5, 0.9};  // recall at precision >= each
  size_t bins = 10;                                   // calibration bins
  size_t bootstrap = 0;                               // replicates (0: no intervals)
  double confidence = 0.95;
  uint64_t seed = 0;
  bool curves = false;  // keep the PR and ROC curves (for --curves and --report)
};

struct LevelPoint {
  double level = 0;
  std::optional<metrics::OperatingPoint> point;
};

struct Interval {
  std::optional<double> lower, upper;
  size_t replicates = 0, skipped = 0;
};

struct Calibration {
  double brier = 0, ece = 0, ece_equal_mass = 0;
  std::vector<metrics::ReliabilityBin> reliability, reliability_equal_mass;
};

struct TaskMetrics {
  std::string name;
  uint64_t samples = 0, positives = 0;
  double prevalence = 0;
  std::optional<double> auprc, auroc;
  std::string why_auprc_undefined, why_auroc_undefined;
  std::optional<Interval> auprc_ci, auroc_ci;  // with --bootstrap
  std::optional<metrics::OperatingPoint> best_f1;
  std::vector<LevelPoint> precision_at_recall, recall_at_precision;
  std::optional<metrics::TopK> top_k;
  std::optional<Calibration> calibration;  // probabilities only
  std::optional<metrics::PrCurve> pr;      // MetricOptions::curves
  std::optional<metrics::RocCurve> roc;
};

struct OverallMetrics {
  uint64_t samples = 0;    // rows
  uint64_t pairs = 0, positives = 0;  // sample-task pairs pooled, and the positive ones
  double prevalence = 0;
  std::optional<double> auprc_macro, auprc_micro, auroc_macro, auroc_micro;
  std::optional<Calibration> calibration;
  std::optional<double> accuracy;                   // multi-class
  std::optional<metrics::ConfusionMatrix> confusion;  // multi-class
};

struct Evaluation {
  data::TaskType type = data::TaskType::binary;
  bool probabilities = false;  // every score in [0, 1]: calibration metrics were computed
  MetricOptions options;
  std::vector<TaskMetrics> tasks;
  OverallMetrics overall;
  std::vector<std::string> warnings;
};

// Computes everything above. InputError for malformed input (no rows, a non-finite score, a label that is
// not 0/1 or not a class); UsageError for a level outside [0, 1], 0 bins or a confidence outside (0, 1).
Evaluation evaluate_scores(const ScoredSet& set, const MetricOptions& options);

}  // namespace seqdl::evaluate
