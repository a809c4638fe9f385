// Percentile bootstrap confidence intervals for AUPRC and AUROC. Each replicate resamples the n samples
// with replacement (seeded with seqdl::Rng, so the same on every platform) and recomputes both metrics;
// the interval is the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of the replicate values,
// interpolated linearly as numpy.percentile does by default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "metrics/ranking.hpp"

namespace seqdl::metrics {

struct BootstrapOptions {
  size_t replicates = 1000;  // at least 1
  double confidence = 0.95;  // in (0, 1)
  uint64_t seed = 0;
};

struct ConfidenceInterval {
  std::optional<double> estimate;      // the metric on all the data
  std::string_view why_undefined;      // why estimate is nullopt (then nothing is resampled), else ""
  std::optional<double> lower, upper;  // nullopt when no replicate had the metric defined
  size_t replicates = 0;               // replicates where the metric was defined
  size_t skipped = 0;                  // replicates where it was not, e.g. a resample that drew no positive
};

struct BootstrapIntervals {
  ConfidenceInterval auprc, auroc;
};

// A replicate costs O(n + distinct scores) and no sorting: the samples are ranked once, and a resample
// is only how many times it drew each (tie group, label), re-ranked with Ranking::from_counts.
BootstrapIntervals bootstrap_intervals(const Ranking& ranking, const BootstrapOptions& options = {});
BootstrapIntervals bootstrap_intervals(std::span<const double> scores, std::span<const uint8_t> labels,
                                       const BootstrapOptions& options = {});

}  // namespace seqdl::metrics
