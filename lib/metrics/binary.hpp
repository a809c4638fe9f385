// Binary ranking metrics, computed exactly as scikit-learn 1.2 does (unweighted), from one Ranking so
// that a report sorts the scores once and asks for every metric. A metric that the labels leave
// undefined (AUPRC without a positive, AUROC without both classes) is std::nullopt, never NaN; the
// why_*_undefined functions give the reason in one phrase for the warning a command prints.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "metrics/ranking.hpp"

namespace seqdl::metrics {

// "no positive labels" when AUPRC, the PR curve, F1, precision/recall at a level and top-k are
// undefined, else "". With positives but no negatives these are defined (AUPRC is then 1, as sklearn).
std::string_view why_auprc_undefined(const Ranking& ranking);
// "no positive labels" or "no negative labels" when AUROC and the ROC curve are undefined, else "".
std::string_view why_auroc_undefined(const Ranking& ranking);

// sklearn's average_precision_score: sum over distinct thresholds of (R_n - R_{n-1}) * P_n, with all
// samples tied at a threshold entering together (no interpolation).
std::optional<double> average_precision(const Ranking& ranking);
std::optional<double> average_precision(std::span<const double> scores, std::span<const uint8_t> labels);

// sklearn's roc_auc_score: trapezoids between the distinct-threshold points, so a tie between a positive
// and a negative counts one half (the Mann-Whitney U statistic / (P * N)). Computed in integers, exact.
std::optional<double> roc_auc(const Ranking& ranking);
std::optional<double> roc_auc(std::span<const double> scores, std::span<const uint8_t> labels);

// Fraction of positive samples: the expected AUPRC of a random ranking, the baseline to quote with it.
double prevalence(const Ranking& ranking);

// sklearn's precision_recall_curve (1.2): one point per distinct threshold, in ascending threshold order
// (recall decreasing), then the point (recall 0, precision 1) that has no threshold.
struct PrCurve {
  std::vector<double> precision, recall;  // thresholds.size() + 1 points
  std::vector<double> thresholds;
};
std::optional<PrCurve> pr_curve(const Ranking& ranking);

// sklearn's roc_curve with drop_intermediate=True (1.2): thresholds descending, points collinear with
// their neighbours dropped, and a leading (0, 0) point whose threshold is the highest score + 1
// (sklearn >= 1.3 writes +inf there instead).
struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;
};
std::optional<RocCurve> roc_curve(const Ranking& ranking);

// An operating point: calling "positive" every sample scoring >= threshold (one of the distinct scores).
struct OperatingPoint {
  double threshold = 0, precision = 0, recall = 0, f1 = 0;
};

// The highest precision among operating points with recall >= min_recall (equal precisions: the one
// with the higher recall). Always exists when there are positives: the lowest threshold has recall 1.
std::optional<OperatingPoint> precision_at_recall(const Ranking& ranking, double min_recall);

// The highest recall among operating points with precision >= min_precision (equal recalls: the one
// with the higher precision). nullopt also when no threshold reaches that precision.
std::optional<OperatingPoint> recall_at_precision(const Ranking& ranking, double min_precision);

// The operating point with the highest F1 = 2TP / (2TP + FP + FN); equal F1: the higher threshold.
std::optional<OperatingPoint> best_f1(const Ranking& ranking);

// SpliceAI's top-k accuracy: with k = the number of positives (true sites), the fraction of positives
// among the k highest-scoring samples. Samples tied at the k-th score share the remaining places in
// proportion (the expected value over random tie orders), so the result does not depend on input order.
struct TopK {
  double accuracy = 0;
  double threshold = 0;  // the k-th highest score
  uint64_t k = 0;
};
std::optional<TopK> top_k_accuracy(const Ranking& ranking);

}  // namespace seqdl::metrics
