#include "metrics/binary.hpp"

#include "util/error.hpp"

namespace seqdl::metrics {
namespace {

// Precision, recall and F1 when every sample scoring >= thresholds[i] is called positive.
OperatingPoint point_at(const Ranking& ranking, size_t i) {
  auto tp = static_cast<double>(ranking.true_positives()[i]);
  auto fp = static_cast<double>(ranking.false_positives()[i]);
  auto p = static_cast<double>(ranking.positives());
  return {ranking.thresholds()[i], tp / (tp + fp), tp / p, 2 * tp / (tp + fp + p)};
}

void check_level(double level, std::string_view what) {
  if (!(level >= 0.0 && level <= 1.0)) throw UsageError("{} is {}; expected a value in [0, 1]", what, level);
}

}  // namespace

std::string_view why_auprc_undefined(const Ranking& ranking) {
  return ranking.positives() == 0 ? "no positive labels" : "";
}

std::string_view why_auroc_undefined(const Ranking& ranking) {
  if (ranking.positives() == 0) return "no positive labels";
  return ranking.negatives() == 0 ? "no negative labels" : "";
}

std::optional<double> average_precision(const Ranking& ranking) {
  if (!why_auprc_undefined(ranking).empty()) return std::nullopt;
  auto tps = ranking.true_positives(), fps = ranking.false_positives();
  // (R_n - R_{n-1}) * P_n = (tp_n - tp_{n-1}) / P * tp_n / (tp_n + fp_n). Summed in extended precision:
  // ten million double terms could lose ~1e-9, more than we promise to agree with sklearn.
  long double sum = 0;
  uint64_t previous_tp = 0;
  for (size_t i = 0; i < tps.size(); ++i) {
    if (tps[i] == previous_tp) continue;
    sum += static_cast<long double>(tps[i] - previous_tp) * tps[i] / (tps[i] + fps[i]);
    previous_tp = tps[i];
  }
  return static_cast<double>(sum / ranking.positives());
}

std::optional<double> average_precision(std::span<const double> scores, std::span<const uint8_t> labels) {
  return average_precision(Ranking(scores, labels));
}

std::optional<double> roc_auc(const Ranking& ranking) {
  if (!why_auroc_undefined(ranking).empty()) return std::nullopt;
  auto tps = ranking.true_positives(), fps = ranking.false_positives();
  // Twice the area in units of 1 / (P * N): each threshold adds a trapezoid of width (fp_n - fp_{n-1})
  // and heights tp_{n-1} and tp_n. The sum is at most 2 * P * N, which fits 64 bits below 4e9 samples.
  uint64_t twice_area = 0, previous_tp = 0, previous_fp = 0;
  for (size_t i = 0; i < tps.size(); ++i) {
    twice_area += (fps[i] - previous_fp) * (tps[i] + previous_tp);
    previous_tp = tps[i];
    previous_fp = fps[i];
  }
  return static_cast<double>(twice_area) /
         (2.0 * static_cast<double>(ranking.positives()) * static_cast<double>(ranking.negatives()));
}

std::optional<double> roc_auc(std::span<const double> scores, std::span<const uint8_t> labels) {
  return roc_auc(Ranking(scores, labels));
}

double prevalence(const Ranking& ranking) {
  return static_cast<double>(ranking.positives()) / static_cast<double>(ranking.size());
}

std::optional<PrCurve> pr_curve(const Ranking& ranking) {
  if (!why_auprc_undefined(ranking).empty()) return std::nullopt;
  size_t n = ranking.thresholds().size();
  PrCurve curve;
  curve.precision.reserve(n + 1);
  curve.recall.reserve(n + 1);
  curve.thresholds.reserve(n);
  for (size_t i = n; i-- > 0;) {
    OperatingPoint point = point_at(ranking, i);
    curve.precision.push_back(point.precision);
    curve.recall.push_back(point.recall);
    curve.thresholds.push_back(point.threshold);
  }
  curve.precision.push_back(1.0);
  curve.recall.push_back(0.0);
  return curve;
}

std::optional<RocCurve> roc_curve(const Ranking& ranking) {
  if (!why_auroc_undefined(ranking).empty()) return std::nullopt;
  auto tps = ranking.true_positives(), fps = ranking.false_positives();
  auto thresholds = ranking.thresholds();
  auto p = static_cast<double>(ranking.positives()), n = static_cast<double>(ranking.negatives());
  size_t last = thresholds.size() - 1;
  // sklearn keeps the ends and every point where the slope changes (a non-zero second difference).
  auto is_corner = [&](size_t i) {
    return i == 0 || i == last || fps[i + 1] - fps[i] != fps[i] - fps[i - 1] ||
           tps[i + 1] - tps[i] != tps[i] - tps[i - 1];
  };
  RocCurve curve{{0.0}, {0.0}, {thresholds[0] + 1}};
  for (size_t i = 0; i <= last; ++i) {
    if (!is_corner(i)) continue;
    curve.fpr.push_back(static_cast<double>(fps[i]) / n);
    curve.tpr.push_back(static_cast<double>(tps[i]) / p);
    curve.thresholds.push_back(thresholds[i]);
  }
  return curve;
}

std::optional<OperatingPoint> precision_at_recall(const Ranking& ranking, double min_recall) {
  check_level(min_recall, "the recall level");
  if (!why_auprc_undefined(ranking).empty()) return std::nullopt;
  std::optional<OperatingPoint> best;
  // Recall never falls as the threshold falls, so ">=" prefers the higher recall among equal precisions.
  for (size_t i = 0; i < ranking.thresholds().size(); ++i) {
    OperatingPoint point = point_at(ranking, i);
    if (point.recall >= min_recall && (!best || point.precision >= best->precision)) best = point;
  }
  return best;
}

std::optional<OperatingPoint> recall_at_precision(const Ranking& ranking, double min_precision) {
  check_level(min_precision, "the precision level");
  if (!why_auprc_undefined(ranking).empty()) return std::nullopt;
  std::optional<OperatingPoint> best;
  // Among equal recalls the first (highest) threshold has the fewest false positives: keep it with ">".
  for (size_t i = 0; i < ranking.thresholds().size(); ++i) {
    OperatingPoint point = point_at(ranking, i);
    if (point.precision >= min_precision && (!best || point.recall > best->recall)) best = point;
  }
  return best;
}

std::optional<OperatingPoint> best_f1(const Ranking& ranking) {
  if (!why_auprc_undefined(ranking).empty()) return std::nullopt;
  std::optional<OperatingPoint> best;
  for (size_t i = 0; i < ranking.thresholds().size(); ++i) {
    OperatingPoint point = point_at(ranking, i);
    if (!best || point.f1 > best->f1) best = point;
  }
  return best;
}

std::optional<TopK> top_k_accuracy(const Ranking& ranking) {
  if (!why_auprc_undefined(ranking).empty()) return std::nullopt;
  auto tps = ranking.true_positives(), fps = ranking.false_positives();
  uint64_t k = ranking.positives(), above = 0, positives_above = 0;
  // Find the tie group holding the k-th highest score; it fills the k - above remaining places with its
  // positives in proportion. The last group always gets there: the ranking holds n >= k samples.
  for (size_t i = 0;; ++i) {
    uint64_t through = tps[i] + fps[i];
    if (through >= k) {
      double hits = static_cast<double>(positives_above) + static_cast<double>(k - above) *
                                                               static_cast<double>(tps[i] - positives_above) /
                                                               static_cast<double>(through - above);
      return TopK{hits / static_cast<double>(k), ranking.thresholds()[i], k};
    }
    above = through;
    positives_above = tps[i];
  }
}

}  // namespace seqdl::metrics
