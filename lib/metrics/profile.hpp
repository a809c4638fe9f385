// Metrics of base-resolution profile models (BPNet, ChromBPNet) and coverage-track regression, as the reference
// recipes compute them with scipy and numpy:
//   Jensen-Shannon distance   scipy.spatial.distance.jensenshannon(p, q) (natural log): both normalised to sum 1,
//                             sqrt((KL(p||m) + KL(q||m)) / 2), m = (p + q) / 2; NaN when either sums to 0
//   Pearson                   numpy/scipy's r; NaN when either side is constant
//   Spearman                  Pearson of average ranks (scipy.stats.rankdata 'average', as spearmanr)
//   median                    numpy.nanmedian: NaNs left out, the mean of the middle two for an even count
// and an accumulator that gathers, per profile (one example and channel), the observed counts, the predicted
// probabilities and the predicted log(1 + total), into the summary figures evaluation and validation report.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace seqdl::metrics {

double jensen_shannon_distance(std::span<const double> p, std::span<const double> q);
double pearson(std::span<const double> a, std::span<const double> b);
double spearman(std::span<const double> a, std::span<const double> b);
std::vector<double> average_ranks(std::span<const double> x);  // 1-based, ties averaged
double nan_median(std::vector<double> values);                  // NaN when no value is a number

struct ProfileSummary {
  uint64_t profiles = 0;             // examples x channels scored
  uint64_t with_counts = 0;          // of them with a non-zero observed total (the profile figures use only these)
  double counts_pearson = 0;         // predicted vs observed log(1 + total), over every profile
  double counts_spearman = 0;
  double counts_mse = 0;             // mean squared error of log(1 + total)
  double jsd_median = 0;             // median Jensen-Shannon distance, observed vs predicted profile
  double profile_pearson_median = 0; // median per-profile Pearson of observed counts and predicted probabilities
  double baseline_jsd_median = 0;    // the same JSD for the average profile (NaN without one)
  double baseline_pearson_median = 0;
};

// Not thread-safe; one per evaluation.
class ProfileAccumulator {
 public:
  // baseline: the average normalised training profile of each channel ([channels][length]); may be empty.
  explicit ProfileAccumulator(std::vector<std::vector<double>> baseline = {});

  // One profile: observed counts and predicted probabilities over `length` bases, the predicted log(1 + total).
  void add(int channel, const float* observed, const float* probabilities, int64_t length, double predicted_log_counts);
  ProfileSummary summary() const;

  // Per profile, in the order added (NaN where the observed total is 0).
  const std::vector<double>& jsd() const { return jsd_; }
  const std::vector<double>& profile_pearson() const { return profile_r_; }
  const std::vector<double>& baseline_jsd() const { return baseline_jsd_; }
  const std::vector<double>& observed_log_counts() const { return observed_; }
  const std::vector<double>& predicted_log_counts() const { return predicted_; }

 private:
  std::vector<std::vector<double>> baseline_;
  std::vector<double> jsd_, profile_r_, baseline_jsd_, baseline_r_, observed_, predicted_;
  std::vector<double> p_, q_;  // scratch
};

}  // namespace seqdl::metrics
