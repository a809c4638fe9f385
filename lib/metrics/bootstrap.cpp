#include "metrics/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "metrics/binary.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::metrics {
namespace {

// One metric's replicate values, turned into an interval at the end.
struct Replicates {
  ConfidenceInterval interval;
  std::vector<double> values;

  Replicates(std::optional<double> estimate, std::string_view why_undefined) {
    interval.estimate = estimate;
    interval.why_undefined = why_undefined;
  }
  bool wanted() const { return interval.estimate.has_value(); }
  void add(std::optional<double> value) {
    if (value)
      values.push_back(*value);
    else
      ++interval.skipped;
  }
  ConfidenceInterval finish(double confidence) {
    interval.replicates = values.size();
    if (!values.empty()) {
      std::sort(values.begin(), values.end());
      interval.lower = quantile((1 - confidence) / 2);
      interval.upper = quantile((1 + confidence) / 2);
    }
    return interval;
  }
  // numpy.percentile's default ('linear'): interpolate between the order statistics around q * (m - 1).
  double quantile(double q) const {
    double h = q * static_cast<double>(values.size() - 1);
    auto below = static_cast<size_t>(std::floor(h));
    size_t above = std::min(below + 1, values.size() - 1);
    return values[below] + (h - static_cast<double>(below)) * (values[above] - values[below]);
  }
};

}  // namespace

BootstrapIntervals bootstrap_intervals(const Ranking& ranking, const BootstrapOptions& options) {
  if (options.replicates == 0) throw UsageError("0 bootstrap replicates; expected at least 1");
  if (!(options.confidence > 0 && options.confidence < 1))
    throw UsageError("confidence level {} is not in (0, 1)", options.confidence);
  Replicates auprc(average_precision(ranking), why_auprc_undefined(ranking));
  Replicates auroc(roc_auc(ranking), why_auroc_undefined(ranking));

  if (auprc.wanted() || auroc.wanted()) {
    // Every sample as a code: its tie group g for a negative, groups + g for a positive. A resample is
    // then a histogram of n codes drawn uniformly: counts[0, groups) negatives, [groups, 2 groups) positives.
    auto thresholds = ranking.thresholds();
    auto tps = ranking.true_positives(), fps = ranking.false_positives();
    size_t groups = thresholds.size();
    if (2 * groups > std::numeric_limits<uint32_t>::max())
      throw InputError("{} distinct scores are too many to bootstrap", groups);
    std::vector<uint32_t> codes;
    codes.reserve(ranking.size());
    for (size_t g = 0; g < groups; ++g) {
      codes.insert(codes.end(), fps[g] - (g > 0 ? fps[g - 1] : 0), static_cast<uint32_t>(g));
      codes.insert(codes.end(), tps[g] - (g > 0 ? tps[g - 1] : 0), static_cast<uint32_t>(groups + g));
    }

    Rng rng(options.seed);
    std::vector<uint64_t> counts(2 * groups);
    auto negatives = std::span<const uint64_t>(counts).first(groups);
    auto positives = std::span<const uint64_t>(counts).last(groups);
    for (size_t r = 0; r < options.replicates; ++r) {
      std::fill(counts.begin(), counts.end(), 0);
      for (size_t i = 0; i < codes.size(); ++i) ++counts[codes[rng.below(codes.size())]];
      Ranking resample = Ranking::from_counts(thresholds, positives, negatives);
      if (auprc.wanted()) auprc.add(average_precision(resample));
      if (auroc.wanted()) auroc.add(roc_auc(resample));
    }
  }
  return {auprc.finish(options.confidence), auroc.finish(options.confidence)};
}

BootstrapIntervals bootstrap_intervals(std::span<const double> scores, std::span<const uint8_t> labels,
                                       const BootstrapOptions& options) {
  return bootstrap_intervals(Ranking(scores, labels), options);
}

}  // namespace seqdl::metrics
