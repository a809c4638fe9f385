// Seqlet calling for `seqdl motifs discover` (after TF-MoDISco, Shrikumar et al. 2018): windows of
// `window` positions whose summed contribution is far out in the tails of a null, picked greedily.
//
//  1. Every window that fits with its flanks, [s, s + window) with flank <= s <= length - window - flank, gets
//     the sum of its per-position contributions (a position's contribution: the sum over its four channels).
//  2. Null: a Laplace distribution centred on the median window sum m (attributions of a positive prediction
//     often lift every window a little; the median follows that shift), its scale fitted to each side
//     separately: b = max over q in {0.05, 0.10, ..., 0.50} of quantile_q(side) / -ln(1 - q), where `side` is the
//     distances v - m of the sums v > m (or m - v of those < m). Only the lower half of each side enters the fit,
//     so that up to half the windows may hold signal without widening the null.
//  3. Threshold per side by isotonic regression: the side's observed distances (label 1) and as many null
//     values (label 0: the Laplace quantiles at (k + 0.5) / m, a deterministic sample) are regressed with
//     pool-adjacent-violators, increasing in the distance. The fit p(d) estimates P(observed | d), so the
//     local false discovery rate is (1 - p) / p; the threshold is the smallest observed distance with
//     p >= 1 / (1 + target_fdr). None passes: the threshold is infinite.
//  4. A window passes when its distance from m reaches its side's threshold and its sum has that side's sign
//     (positive windows sum above 0, negative ones below). The fraction of windows passing is clamped to
//     [min_fraction, max_fraction] by moving both thresholds to the matching quantile of |v - m|.
//  5. Per sequence, passing windows are taken greedily, largest |sum| first, suppressing every window whose
//     core overlaps a taken one; a seqlet is the taken window with `flank` positions added on each side.
//     Positive and negative seqlets (by the sign of their window sum) are kept apart downstream.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "motif/discover_input.hpp"

namespace seqdl::motif {

struct LaplaceFit {
  double location = 0;                            // the median window sum
  double positive_scale = 0, negative_scale = 0;  // b of each side
};

// The fit of step 2 over window sums.
LaplaceFit fit_laplace(const std::vector<float>& values);

// m deterministic draws of the distance from the centre on one Laplace side: b * -ln(1 - (k + 0.5) / m).
std::vector<double> laplace_null(double scale, size_t m);

// Weighted isotonic (non-decreasing) least-squares regression of y on x by pool-adjacent-violators; equal x
// values are pooled first (as scikit-learn does). Returns the fitted value for each input, in input order.
std::vector<double> isotonic_increasing(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<double>& weight);

// Step 3: the threshold on distances, or +infinity when no observed value reaches the target.
double isotonic_threshold(const std::vector<double>& observed, const std::vector<double>& null, double target_fdr);

struct SeqletOptions {
  int window = 21;
  int flank = 5;
  double target_fdr = 0.2;
  double min_fraction = 0.03, max_fraction = 0.2;  // of the windows, after the FDR threshold
  int threads = 1;
};

struct Seqlet {
  int64_t row = 0;
  int64_t start = 0, end = 0;  // the window with its flanks, 0-based half-open in the row
  float score = 0;             // the window's summed contribution (the sign gives the metacluster)
};

struct SeqletCall {
  uint64_t windows = 0;        // windows scored
  LaplaceFit null;
  double fdr_positive = std::numeric_limits<double>::infinity();  // the isotonic thresholds (distances)
  double fdr_negative = std::numeric_limits<double>::infinity();
  double positive_threshold = 0, negative_threshold = 0;  // the distances used, after clamping
  // A positive window sums to at least max(location + positive_threshold, > 0), a negative one to at most
  // min(location - negative_threshold, < 0).
  std::string clamp;           // "", "raised to the maximum fraction" or "lowered to the minimum fraction"
  uint64_t passing = 0;        // windows passing
  std::vector<Seqlet> seqlets; // by row, then start
};

// Every step above over the rows of `set`. UsageError when the rows are too short for one window with its
// flanks; InputError from reading (NaN...). No seqlet when every window sum is 0.
SeqletCall call_seqlets(const AttributionSet& set, const SeqletOptions& options);

// Steps 2-5 on window sums already computed ([rows][starts]; start index k is window start flank + k).
SeqletCall call_seqlets_from_sums(const std::vector<float>& sums, int64_t rows, int64_t starts,
                                  const SeqletOptions& options);

}  // namespace seqdl::motif
