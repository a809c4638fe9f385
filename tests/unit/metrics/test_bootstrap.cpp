#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "metrics/binary.hpp"
#include "metrics/bootstrap.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::metrics {
namespace {

void random_problem(size_t n, double prevalence, uint64_t seed, std::vector<double>& scores,
                    std::vector<uint8_t>& labels) {
  Rng rng(seed);
  scores.resize(n);
  labels.resize(n);
  for (size_t i = 0; i < n; ++i) {
    labels[i] = rng.uniform() < prevalence;
    scores[i] = std::round((rng.uniform() + 0.5 * labels[i]) * 20) / 20;  // ties too
  }
}

// Brute-force definitions, independent of the ranking code: AUROC counts pairs (ties 1/2); AP is the
// mean over positives of the precision at that positive's score (all samples scoring >= it).
std::optional<double> naive_auroc(const std::vector<double>& s, const std::vector<uint8_t>& y) {
  double wins = 0, pairs = 0;
  for (size_t i = 0; i < s.size(); ++i)
    for (size_t j = 0; j < s.size(); ++j)
      if (y[i] && !y[j]) {
        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        ++pairs;
      }
  return pairs > 0 ? std::optional(wins / pairs) : std::nullopt;
}

std::optional<double> naive_ap(const std::vector<double>& s, const std::vector<uint8_t>& y) {
  double sum = 0, positives = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!y[i]) continue;
    double at_or_above = 0, positives_above = 0;
    for (size_t j = 0; j < s.size(); ++j)
      if (s[j] >= s[i]) ++at_or_above, positives_above += y[j];
    sum += positives_above / at_or_above;
    ++positives;
  }
  return positives > 0 ? std::optional(sum / positives) : std::nullopt;
}

// numpy.percentile's linear interpolation, for the reference bootstrap.
double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double h = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<size_t>(h);
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

TEST(Bootstrap, MatchesAPlainResamplingBootstrap) {
  // The same procedure done the slow, obvious way (resample indices with another generator, brute-force
  // metrics): with 2000 replicates each, the interval ends agree within Monte Carlo error (~0.003 here).
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  random_problem(150, 0.3, 3, scores, labels);
  BootstrapOptions options{.replicates = 2000, .confidence = 0.9, .seed = 5};
  BootstrapIntervals ours = bootstrap_intervals(scores, labels, options);

  std::mt19937_64 gen(99);
  std::uniform_int_distribution<size_t> pick(0, scores.size() - 1);
  std::vector<double> aps, aucs, s(scores.size());
  std::vector<uint8_t> y(scores.size());
  for (size_t r = 0; r < options.replicates; ++r) {
    for (size_t i = 0; i < scores.size(); ++i) {
      size_t k = pick(gen);
      s[i] = scores[k];
      y[i] = labels[k];
    }
    aps.push_back(naive_ap(s, y).value());
    aucs.push_back(naive_auroc(s, y).value());
  }
  EXPECT_DOUBLE_EQ(*ours.auprc.estimate, naive_ap(scores, labels).value());
  EXPECT_DOUBLE_EQ(*ours.auroc.estimate, naive_auroc(scores, labels).value());
  EXPECT_NEAR(*ours.auprc.lower, percentile(aps, 0.05), 0.012);
  EXPECT_NEAR(*ours.auprc.upper, percentile(aps, 0.95), 0.012);
  EXPECT_NEAR(*ours.auroc.lower, percentile(aucs, 0.05), 0.012);
  EXPECT_NEAR(*ours.auroc.upper, percentile(aucs, 0.95), 0.012);
  EXPECT_EQ(ours.auprc.replicates, 2000u);
  EXPECT_EQ(ours.auroc.skipped, 0u);
}

TEST(Bootstrap, SameSeedSameIntervalAndTheIntervalHoldsTheEstimate) {
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  random_problem(500, 0.2, 1, scores, labels);
  Ranking ranking(scores, labels);
  BootstrapIntervals a = bootstrap_intervals(ranking, {.replicates = 200, .seed = 1});
  BootstrapIntervals b = bootstrap_intervals(ranking, {.replicates = 200, .seed = 1});
  BootstrapIntervals c = bootstrap_intervals(ranking, {.replicates = 200, .seed = 2});
  EXPECT_EQ(a.auprc.lower, b.auprc.lower);
  EXPECT_EQ(a.auroc.upper, b.auroc.upper);
  EXPECT_NE(a.auroc.lower, c.auroc.lower);
  EXPECT_LT(*a.auprc.lower, *a.auprc.estimate);
  EXPECT_GT(*a.auprc.upper, *a.auprc.estimate);
  EXPECT_LT(*a.auroc.lower, *a.auroc.estimate);
  EXPECT_GT(*a.auroc.upper, *a.auroc.estimate);
  // A wider confidence level gives a wider interval from the same replicates.
  BootstrapIntervals wide = bootstrap_intervals(ranking, {.replicates = 200, .confidence = 0.99, .seed = 1});
  EXPECT_LE(*wide.auroc.lower, *a.auroc.lower);
  EXPECT_GE(*wide.auroc.upper, *a.auroc.upper);
}

TEST(Bootstrap, ResamplesWithoutAPositiveAreSkippedAndCounted) {
  // One positive in 100: a resample misses it with probability 0.99^100 = 0.366.
  std::vector<double> scores(100);
  std::vector<uint8_t> labels(100, 0);
  for (size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<double>(i % 17);
  labels[40] = 1;
  BootstrapIntervals r = bootstrap_intervals(scores, labels, {.replicates = 2000});
  EXPECT_EQ(r.auprc.replicates + r.auprc.skipped, 2000u);
  EXPECT_NEAR(static_cast<double>(r.auprc.skipped) / 2000, 0.366, 0.04);
  EXPECT_EQ(r.auroc.skipped, r.auprc.skipped);
  EXPECT_TRUE(r.auprc.lower && r.auprc.upper);
}

TEST(Bootstrap, UndefinedEstimateMeansNoInterval) {
  std::vector<double> scores{0.1, 0.2, 0.3};
  BootstrapIntervals none = bootstrap_intervals(scores, std::vector<uint8_t>{0, 0, 0});
  EXPECT_FALSE(none.auprc.estimate || none.auprc.lower || none.auprc.upper);
  EXPECT_EQ(none.auprc.why_undefined, "no positive labels");
  EXPECT_EQ(none.auroc.why_undefined, "no positive labels");
  EXPECT_EQ(none.auprc.replicates + none.auprc.skipped, 0u);
  // All positive: AUPRC is 1 in every replicate, AUROC has no estimate.
  BootstrapIntervals all = bootstrap_intervals(scores, std::vector<uint8_t>{1, 1, 1}, {.replicates = 50});
  EXPECT_EQ(all.auprc.lower, 1.0);
  EXPECT_EQ(all.auprc.upper, 1.0);
  EXPECT_EQ(all.auroc.why_undefined, "no negative labels");
  EXPECT_FALSE(all.auroc.lower);
}

TEST(Bootstrap, RejectsBadOptions) {
  std::vector<double> scores{0.1, 0.2};
  std::vector<uint8_t> labels{0, 1};
  EXPECT_THROW(bootstrap_intervals(scores, labels, {.replicates = 0}), UsageError);
  EXPECT_THROW(bootstrap_intervals(scores, labels, {.confidence = 1.0}), UsageError);
  EXPECT_THROW(bootstrap_intervals(scores, labels, {.confidence = 0.0}), UsageError);
}

}  // namespace seqdl::metrics
