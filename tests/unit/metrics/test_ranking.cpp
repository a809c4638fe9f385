#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "metrics/ranking.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::metrics {
namespace {

std::vector<double> v(std::span<const double> s) { return {s.begin(), s.end()}; }
std::vector<uint64_t> v(std::span<const uint64_t> s) { return {s.begin(), s.end()}; }

// The message of the InputError that f throws ("" if it throws none).
std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Ranking, GroupsTiesIntoDistinctThresholdsWithCumulativeCounts) {
  // Descending: 0.9 (+) | 0.8 (+ -) | 0.7 (+) | 0.5 (+ - -) | 0.1 (-)
  // tps: 1, 2, 3, 4, 4     fps: 0, 1, 1, 3, 4
  std::vector<double> scores{0.5, 0.8, 0.1, 0.9, 0.5, 0.7, 0.8, 0.5};
  std::vector<uint8_t> labels{1, 1, 0, 1, 0, 1, 0, 0};
  Ranking r(scores, labels);
  EXPECT_EQ(v(r.thresholds()), (std::vector<double>{0.9, 0.8, 0.7, 0.5, 0.1}));
  EXPECT_EQ(v(r.true_positives()), (std::vector<uint64_t>{1, 2, 3, 4, 4}));
  EXPECT_EQ(v(r.false_positives()), (std::vector<uint64_t>{0, 1, 1, 3, 4}));
  EXPECT_EQ(r.positives(), 4u);
  EXPECT_EQ(r.negatives(), 4u);
  EXPECT_EQ(r.size(), 8u);
}

TEST(Ranking, NegativeZeroIsZero) {
  Ranking r(std::vector<double>{-0.0, 0.0, -1.0}, std::vector<uint8_t>{1, 0, 0});
  EXPECT_EQ(v(r.thresholds()), (std::vector<double>{0.0, -1.0}));
  EXPECT_FALSE(std::signbit(r.thresholds()[0]));
  EXPECT_EQ(v(r.true_positives()), (std::vector<uint64_t>{1, 1}));
  EXPECT_EQ(v(r.false_positives()), (std::vector<uint64_t>{1, 2}));
}

TEST(Ranking, AgreesWithAnOrderedMapOnAwkwardDoubles) {
  // The radix sort works on the bits of the doubles: check it on signs, huge and tiny magnitudes,
  // subnormals, infinities' neighbours and many exact ties, against std::map's ordering.
  Rng rng(42);
  std::vector<double> pool{0.0, -0.0, 1.0, -1.0, 1e-310, -1e-310, std::numeric_limits<double>::max(),
                           -std::numeric_limits<double>::max(), std::numeric_limits<double>::min(), 0.5, -2.5};
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  for (int i = 0; i < 20000; ++i) {
    double x = i % 3 == 0 ? pool[rng.below(pool.size())] : (rng.uniform() - 0.5) * std::pow(10.0, rng.below(40) - 20.0);
    scores.push_back(x);
    labels.push_back(rng.below(3) == 0);
  }
  std::map<double, std::pair<uint64_t, uint64_t>, std::greater<>> groups;  // -0.0 == 0.0 as a key
  for (size_t i = 0; i < scores.size(); ++i) ++(labels[i] ? groups[scores[i]].first : groups[scores[i]].second);
  Ranking r(scores, labels);
  ASSERT_EQ(r.thresholds().size(), groups.size());
  uint64_t tp = 0, fp = 0;
  size_t i = 0;
  for (const auto& [score, counts] : groups) {
    tp += counts.first;
    fp += counts.second;
    EXPECT_EQ(r.thresholds()[i], score);
    EXPECT_EQ(r.true_positives()[i], tp);
    EXPECT_EQ(r.false_positives()[i], fp);
    ++i;
  }
}

TEST(Ranking, SingleSampleAndAllTied) {
  Ranking one(std::vector<double>{0.3}, std::vector<uint8_t>{1});
  EXPECT_EQ(v(one.thresholds()), std::vector<double>{0.3});
  EXPECT_EQ(one.negatives(), 0u);
  Ranking tied(std::vector<double>(5, 2.0), std::vector<uint8_t>{1, 0, 1, 0, 0});
  EXPECT_EQ(v(tied.thresholds()), std::vector<double>{2.0});
  EXPECT_EQ(v(tied.true_positives()), std::vector<uint64_t>{2});
  EXPECT_EQ(v(tied.false_positives()), std::vector<uint64_t>{3});
}

TEST(Ranking, FromCountsDropsScoresNobodyHolds) {
  std::vector<double> thresholds{3, 2, 1};
  Ranking r = Ranking::from_counts(thresholds, std::vector<uint64_t>{2, 0, 1}, std::vector<uint64_t>{0, 0, 4});
  EXPECT_EQ(v(r.thresholds()), (std::vector<double>{3, 1}));
  EXPECT_EQ(v(r.true_positives()), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(v(r.false_positives()), (std::vector<uint64_t>{0, 4}));
  EXPECT_THROW(Ranking::from_counts(thresholds, std::vector<uint64_t>{0, 0, 0}, std::vector<uint64_t>{0, 0, 0}),
               InputError);
  std::vector<uint64_t> ones{1, 1};
  EXPECT_THROW(Ranking::from_counts(std::vector<double>{1, 2}, ones, ones), InputError);  // ascending
}

TEST(Ranking, MalformedInputIsAnInputErrorNamingTheSample) {
  double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  std::vector<uint8_t> labels{0, 1, 0};
  EXPECT_EQ(input_error([&] { Ranking(std::vector<double>{0.1, nan, nan}, labels); }),
            "scores[1] is nan; scores must be finite numbers");
  EXPECT_EQ(input_error([&] { Ranking(std::vector<double>{0.1, 0.2, -inf}, labels); }),
            "scores[2] is -inf; scores must be finite numbers");
  EXPECT_EQ(input_error([&] { Ranking(std::vector<double>{0.1, 0.2}, labels); }),
            "2 scores but 3 labels; expected one label per score");
  EXPECT_EQ(input_error([&] { Ranking(std::vector<double>{0.1, 0.2}, std::vector<uint8_t>{1, 2}); }),
            "labels[1] is 2; binary labels must be 0 or 1");
  EXPECT_EQ(input_error([&] { Ranking(std::vector<double>{}, std::vector<uint8_t>{}); }),
            "no scores to evaluate; expected at least one sample");
}

TEST(BinaryAccumulator, CollectsChunksAndNamesSamplesInTheWholeInput) {
  BinaryAccumulator acc;
  acc.add(std::vector<double>{0.9, 0.1}, std::vector<uint8_t>{1, 0});
  acc.add(std::vector<double>{}, std::vector<uint8_t>{});
  acc.add(std::vector<double>{0.4}, std::vector<uint8_t>{1});
  EXPECT_EQ(acc.size(), 3u);
  Ranking r = acc.ranking();
  EXPECT_EQ(v(r.thresholds()), (std::vector<double>{0.9, 0.4, 0.1}));
  EXPECT_EQ(input_error([&] { acc.add(std::vector<double>{0.2, NAN}, std::vector<uint8_t>{0, 0}); }),
            "scores[4] is nan; scores must be finite numbers");
  EXPECT_EQ(acc.size(), 3u);  // a rejected chunk is not added
  acc.clear();
  EXPECT_THROW(acc.ranking(), InputError);
}

}  // namespace seqdl::metrics
