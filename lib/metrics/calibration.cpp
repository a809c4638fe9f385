#include "metrics/calibration.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/input_checks.hpp"
#include "metrics/ranking.hpp"
#include "util/error.hpp"

namespace seqdl::metrics {
namespace {

void check_calibration_input(std::span<const double> probabilities, std::span<const uint8_t> labels) {
  check_binary_input(probabilities, labels);
  check_probabilities(probabilities);
}

// What a bin collects before its means are taken.
struct BinTotals {
  uint64_t count = 0, positives = 0;
  double sum = 0;

  ReliabilityBin finish(double lower, double upper) const {
    auto n = static_cast<double>(count);
    return {lower, upper, count, sum / n, static_cast<double>(positives) / n};
  }
};

std::vector<ReliabilityBin> equal_width_bins(std::span<const double> probabilities, std::span<const uint8_t> labels,
                                             size_t bins) {
  // Edges as numpy.linspace(0, 1, bins + 1) computes them (i * (1 / bins), then exactly 1), so that a
  // probability on an edge falls where sklearn puts it: 3 * 0.1 is 0.30000000000000004, not 0.3.
  std::vector<double> edges(bins + 1);
  for (size_t i = 0; i < bins; ++i) edges[i] = static_cast<double>(i) * (1.0 / static_cast<double>(bins));
  edges[bins] = 1.0;
  std::vector<BinTotals> totals(bins);
  for (size_t i = 0; i < probabilities.size(); ++i) {
    // numpy.searchsorted(inner edges, p): the number of inner edges strictly below p.
    auto bin = std::lower_bound(edges.begin() + 1, edges.end() - 1, probabilities[i]) - (edges.begin() + 1);
    BinTotals& t = totals[static_cast<size_t>(bin)];  // summed in input order, as numpy.bincount
    ++t.count;
    t.positives += labels[i];
    t.sum += probabilities[i];
  }
  std::vector<ReliabilityBin> curve;
  for (size_t b = 0; b < bins; ++b)
    if (totals[b].count > 0) curve.push_back(totals[b].finish(edges[b], edges[b + 1]));
  return curve;
}

std::vector<ReliabilityBin> equal_mass_bins(std::span<const double> probabilities, std::span<const uint8_t> labels,
                                            size_t bins) {
  // The ranking holds the probabilities sorted and tie-grouped, highest first; turn its groups around.
  Ranking ranking(probabilities, labels);
  auto thresholds = ranking.thresholds();
  auto tps = ranking.true_positives(), fps = ranking.false_positives();
  size_t groups = thresholds.size();
  std::vector<double> value(groups);
  std::vector<uint64_t> positives(groups), start(groups + 1, 0);  // start[j]: samples below group j
  for (size_t j = 0; j < groups; ++j) {
    size_t i = groups - 1 - j;
    uint64_t higher_tp = i > 0 ? tps[i - 1] : 0, higher_fp = i > 0 ? fps[i - 1] : 0;
    value[j] = thresholds[i];
    positives[j] = tps[i] - higher_tp;
    start[j + 1] = start[j] + (tps[i] - higher_tp) + (fps[i] - higher_fp);
  }

  // Each boundary snaps to the nearest group start; `first` lists the first group of every bin.
  uint64_t n = start[groups];
  std::vector<size_t> first{0};
  for (size_t b = 1; b < bins; ++b) {
    uint64_t target = b * n / bins;
    auto j = static_cast<size_t>(std::lower_bound(start.begin(), start.end(), target) - start.begin());
    if (start[j] != target && target - start[j - 1] <= start[j] - target) --j;
    if (j > first.back() && j < groups) first.push_back(j);
  }
  first.push_back(groups);

  std::vector<ReliabilityBin> curve;
  for (size_t b = 0; b + 1 < first.size(); ++b) {
    BinTotals t;
    for (size_t j = first[b]; j < first[b + 1]; ++j) {
      uint64_t size = start[j + 1] - start[j];
      t.count += size;
      t.positives += positives[j];
      t.sum += value[j] * static_cast<double>(size);
    }
    curve.push_back(t.finish(value[first[b]], value[first[b + 1] - 1]));
  }
  return curve;
}

}  // namespace

double brier_score(std::span<const double> probabilities, std::span<const uint8_t> labels) {
  check_calibration_input(probabilities, labels);
  long double sum = 0;  // extended precision: accurate to ~1e-16 even over ten million squares
  for (size_t i = 0; i < probabilities.size(); ++i) {
    double error = labels[i] - probabilities[i];
    sum += error * error;
  }
  return static_cast<double>(sum / static_cast<long double>(probabilities.size()));
}

std::vector<ReliabilityBin> reliability_curve(std::span<const double> probabilities, std::span<const uint8_t> labels,
                                              size_t bins, Binning binning) {
  check_calibration_input(probabilities, labels);
  if (bins == 0) throw UsageError("the number of calibration bins is 0; expected at least 1");
  return binning == Binning::equal_width ? equal_width_bins(probabilities, labels, bins)
                                         : equal_mass_bins(probabilities, labels, bins);
}

double expected_calibration_error(std::span<const double> probabilities, std::span<const uint8_t> labels, size_t bins,
                                  Binning binning) {
  double ece = 0;
  for (const ReliabilityBin& bin : reliability_curve(probabilities, labels, bins, binning))
    ece += static_cast<double>(bin.count) / static_cast<double>(probabilities.size()) *
           std::abs(bin.mean_predicted - bin.fraction_positive);
  return ece;
}

}  // namespace seqdl::metrics
