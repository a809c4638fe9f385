#include "metrics/profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace seqdl::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double kl_to_mixture(std::span<const double> a, std::span<const double> b, double sa, double sb) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double x = a[i] / sa;
    if (x > 0) sum += x * std::log(x / ((x + b[i] / sb) / 2));
  }
  return sum;
}

}  // namespace

double jensen_shannon_distance(std::span<const double> p, std::span<const double> q) {
  const double sp = std::accumulate(p.begin(), p.end(), 0.0), sq = std::accumulate(q.begin(), q.end(), 0.0);
  if (!(sp > 0) || !(sq > 0) || p.size() != q.size()) return kNaN;
  const double js = (kl_to_mixture(p, q, sp, sq) + kl_to_mixture(q, p, sq, sp)) / 2;
  return std::sqrt(std::max(js, 0.0));
}

double pearson(std::span<const double> a, std::span<const double> b) {
  const size_t n = std::min(a.size(), b.size());
  if (n < 2) return kNaN;
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    const double x = a[i] - ma, y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  if (!(saa > 0) || !(sbb > 0)) return kNaN;
  return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

std::vector<double> average_ranks(std::span<const double> x) {
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return x[i] < x[j]; });
  std::vector<double> ranks(x.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2;  // ties share their mean rank
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

double spearman(std::span<const double> a, std::span<const double> b) {
  std::vector<double> ra = average_ranks(a), rb = average_ranks(b);
  return pearson(ra, rb);
}

double nan_median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return kNaN;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

ProfileAccumulator::ProfileAccumulator(std::vector<std::vector<double>> baseline) : baseline_(std::move(baseline)) {}

void ProfileAccumulator::add(int channel, const float* observed, const float* probabilities, int64_t length,
                             double predicted_log_counts) {
  const auto n = static_cast<size_t>(length);
  p_.assign(observed, observed + n);
  q_.assign(probabilities, probabilities + n);
  const double total = std::accumulate(p_.begin(), p_.end(), 0.0);
  observed_.push_back(std::log1p(total));
  predicted_.push_back(predicted_log_counts);
  if (!(total > 0)) {
    jsd_.push_back(kNaN);
    profile_r_.push_back(kNaN);
    baseline_jsd_.push_back(kNaN);
    baseline_r_.push_back(kNaN);
    return;
  }
  jsd_.push_back(jensen_shannon_distance(p_, q_));
  profile_r_.push_back(pearson(q_, p_));
  const auto c = static_cast<size_t>(channel);
  if (c < baseline_.size() && baseline_[c].size() == n) {
    baseline_jsd_.push_back(jensen_shannon_distance(p_, baseline_[c]));
    baseline_r_.push_back(pearson(baseline_[c], p_));
  } else {
    baseline_jsd_.push_back(kNaN);
    baseline_r_.push_back(kNaN);
  }
}

ProfileSummary ProfileAccumulator::summary() const {
  ProfileSummary s;
  s.profiles = observed_.size();
  s.with_counts = static_cast<uint64_t>(std::count_if(jsd_.begin(), jsd_.end(), [](double x) { return !std::isnan(x); }));
  s.counts_pearson = pearson(predicted_, observed_);
  s.counts_spearman = spearman(predicted_, observed_);
  double se = 0;
  for (size_t i = 0; i < observed_.size(); ++i) se += (predicted_[i] - observed_[i]) * (predicted_[i] - observed_[i]);
  s.counts_mse = observed_.empty() ? kNaN : se / static_cast<double>(observed_.size());
  s.jsd_median = nan_median(jsd_);
  s.profile_pearson_median = nan_median(profile_r_);
  s.baseline_jsd_median = nan_median(baseline_jsd_);
  s.baseline_pearson_median = nan_median(baseline_r_);
  return s;
}

}  // namespace seqdl::metrics
