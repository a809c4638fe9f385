// Calibration of predicted probabilities (each in [0, 1]; anything else is an InputError): the Brier
// score, the reliability curve and the expected calibration error (ECE), with equal-width or
// equal-mass bins. All are defined for any non-empty input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace seqdl::metrics {

// Mean of (label - probability)^2, as sklearn's brier_score_loss.
double brier_score(std::span<const double> probabilities, std::span<const uint8_t> labels);

enum class Binning {
  // `bins` intervals of width 1/bins between the edges 0, 1/bins, ..., 1 (computed as numpy.linspace).
  // Bin i holds the p with edge_i < p <= edge_{i+1}, the first also holds 0: the bins of sklearn's
  // calibration_curve(strategy='uniform'), so a probability on an edge goes to the bin below it.
  equal_width,
  // Contiguous groups of the sorted probabilities, as equal in size as ties allow: the boundary between
  // bin b-1 and bin b is aimed at sorted position floor(b * n / bins) and moved to the nearest place
  // between two different probabilities (the lower one when both are as near), so tied probabilities
  // are never split. Boundaries that meet leave fewer bins.
  equal_mass,
};

// One non-empty bin of a reliability curve. For equal-width bins [lower, upper] are the bin's edges;
// for equal-mass bins they are the lowest and highest probability in it.
struct ReliabilityBin {
  double lower = 0, upper = 0;
  uint64_t count = 0;
  double mean_predicted = 0;     // mean probability in the bin
  double fraction_positive = 0;  // fraction of its samples labelled 1
};

// The non-empty bins in increasing order of probability. With equal_width the (mean_predicted,
// fraction_positive) pairs are sklearn's calibration_curve(strategy='uniform') (prob_pred, prob_true).
// `bins` must be at least 1 (UsageError).
std::vector<ReliabilityBin> reliability_curve(std::span<const double> probabilities, std::span<const uint8_t> labels,
                                              size_t bins = 10, Binning binning = Binning::equal_width);

// ECE = sum over non-empty bins of (count / n) * |mean_predicted - fraction_positive|.
double expected_calibration_error(std::span<const double> probabilities, std::span<const uint8_t> labels,
                                  size_t bins = 10, Binning binning = Binning::equal_width);

}  // namespace seqdl::metrics
