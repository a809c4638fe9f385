#include <gtest/gtest.h>

#include <cmath>

#include "metrics/calibration.hpp"
#include "util/error.hpp"

namespace seqdl::metrics {
namespace {

const std::vector<double> kProbs{0.05, 0.15, 0.1, 0.3, 0.95, 1.0, 0.0, 0.5};
const std::vector<uint8_t> kLabels{0, 0, 1, 1, 1, 1, 0, 0};

void expect_bin(const ReliabilityBin& bin, double lower, double upper, uint64_t count, double mean, double fraction) {
  EXPECT_DOUBLE_EQ(bin.lower, lower);
  EXPECT_DOUBLE_EQ(bin.upper, upper);
  EXPECT_EQ(bin.count, count);
  EXPECT_DOUBLE_EQ(bin.mean_predicted, mean);
  EXPECT_DOUBLE_EQ(bin.fraction_positive, fraction);
}

}  // namespace

TEST(Brier, HandComputed) {
  // Squared errors .0025 + .0225 + .81 + .49 + .0025 + 0 + 0 + .25 = 1.5775, / 8.
  EXPECT_DOUBLE_EQ(brier_score(kProbs, kLabels), 1.5775 / 8);
}

TEST(Reliability, EqualWidthBinsPutEdgesInTheBinBelowAsSklearn) {
  // 10 bins. 0.1 lies on an edge and joins [0, 0.1] with 0.0 and 0.05; 0.5 joins (0.4, 0.5].
  auto curve = reliability_curve(kProbs, kLabels);
  ASSERT_EQ(curve.size(), 5u);
  expect_bin(curve[0], 0.0, 0.1, 3, 0.05, 1.0 / 3);
  expect_bin(curve[1], 0.1, 0.2, 1, 0.15, 0);
  expect_bin(curve[2], 0.2, 0.3, 1, 0.3, 1);
  expect_bin(curve[3], 0.4, 0.5, 1, 0.5, 0);
  expect_bin(curve[4], 0.9, 1.0, 2, 0.975, 1);
  // ECE = 3/8 |0.05 - 1/3| + 1/8 0.15 + 1/8 0.7 + 1/8 0.5 + 2/8 0.025
  //     = 0.10625 + 0.01875 + 0.0875 + 0.0625 + 0.00625 = 0.28125
  EXPECT_NEAR(expected_calibration_error(kProbs, kLabels), 0.28125, 1e-15);
}

TEST(Reliability, EqualMassBinsSplitTheSortedPredictions) {
  // Sorted: 0(-) .05(-) | .1(+) .15(-) | .3(+) .5(-) | .95(+) 1(+): four bins of two.
  auto curve = reliability_curve(kProbs, kLabels, 4, Binning::equal_mass);
  ASSERT_EQ(curve.size(), 4u);
  expect_bin(curve[0], 0.0, 0.05, 2, 0.025, 0);
  expect_bin(curve[1], 0.1, 0.15, 2, 0.125, 0.5);
  expect_bin(curve[2], 0.3, 0.5, 2, 0.4, 0.5);
  expect_bin(curve[3], 0.95, 1.0, 2, 0.975, 1);
  // ECE = 2/8 (0.025 + 0.375 + 0.1 + 0.025) = 0.13125
  EXPECT_NEAR(expected_calibration_error(kProbs, kLabels, 4, Binning::equal_mass), 0.13125, 1e-15);
}

TEST(Reliability, EqualMassBinsNeverSplitTies) {
  // Sorted: 0.2 x5, 0.6, 0.7, 0.8 (n = 8). Group starts 0, 5, 6, 7.
  std::vector<double> probs{0.2, 0.8, 0.2, 0.6, 0.2, 0.7, 0.2, 0.2};
  std::vector<uint8_t> labels{0, 1, 1, 0, 0, 1, 0, 0};
  // 2 bins: the boundary aimed at 4 moves to 5, the nearer end of the tied run.
  auto two = reliability_curve(probs, labels, 2, Binning::equal_mass);
  ASSERT_EQ(two.size(), 2u);
  expect_bin(two[0], 0.2, 0.2, 5, 0.2, 0.2);
  expect_bin(two[1], 0.6, 0.8, 3, 0.7, 2.0 / 3);
  // 4 bins: boundaries aimed at 2 (-> 0, dropped), 4 (-> 5) and 6 (a group start): three bins.
  auto four = reliability_curve(probs, labels, 4, Binning::equal_mass);
  ASSERT_EQ(four.size(), 3u);
  expect_bin(four[0], 0.2, 0.2, 5, 0.2, 0.2);
  expect_bin(four[1], 0.6, 0.6, 1, 0.6, 0);
  expect_bin(four[2], 0.7, 0.8, 2, 0.75, 1);
  // More bins than samples: one bin per distinct value.
  EXPECT_EQ(reliability_curve(probs, labels, 100, Binning::equal_mass).size(), 4u);
}

TEST(Reliability, OneBinIsTheOverallCalibration) {
  // One bin: ECE = |mean prediction - prevalence| = |3.05/8 - 4/8|.
  for (Binning b : {Binning::equal_width, Binning::equal_mass})
    EXPECT_NEAR(expected_calibration_error(kProbs, kLabels, 1, b), std::abs(3.05 / 8 - 0.5), 1e-15);
}

TEST(Calibration, SingleSampleAndAllTied) {
  EXPECT_DOUBLE_EQ(brier_score(std::vector<double>{0.25}, std::vector<uint8_t>{1}), 0.5625);
  std::vector<double> tied(4, 0.25);
  std::vector<uint8_t> labels{1, 0, 0, 0};
  for (Binning b : {Binning::equal_width, Binning::equal_mass}) {
    auto curve = reliability_curve(tied, labels, 10, b);
    ASSERT_EQ(curve.size(), 1u);
    EXPECT_EQ(curve[0].count, 4u);
    EXPECT_DOUBLE_EQ(expected_calibration_error(tied, labels, 10, b), 0.0);  // 0.25 predicted, 1/4 positive
  }
}

TEST(Calibration, RejectsWhatIsNotAProbability) {
  std::vector<uint8_t> labels{0, 1};
  EXPECT_THROW(brier_score(std::vector<double>{0.5, 1.5}, labels), InputError);
  EXPECT_THROW(reliability_curve(std::vector<double>{-0.1, 0.5}, labels), InputError);
  EXPECT_THROW(expected_calibration_error(std::vector<double>{0.5, NAN}, labels), InputError);
  EXPECT_THROW(brier_score(std::vector<double>{0.5}, labels), InputError);
  EXPECT_THROW(reliability_curve(std::vector<double>{0.1, 0.5}, labels, 0), UsageError);
  try {
    brier_score(std::vector<double>{0.5, 1.5}, labels);
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "scores[1] is 1.5; calibration needs probabilities in [0, 1]");
  }
}

}  // namespace seqdl::metrics
