#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "metrics/binary.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::metrics {
namespace {

// Descending: 0.9 (+) | 0.8 (+ -) | 0.7 (+) | 0.5 (+ - -) | 0.1 (-); P = N = 4.
//   tp: 1 2 3 4 4   fp: 0 1 1 3 4   precision: 1, 2/3, 3/4, 4/7, 1/2   recall: 1/4, 1/2, 3/4, 1, 1
const std::vector<double> kScores{0.5, 0.8, 0.1, 0.9, 0.5, 0.7, 0.8, 0.5};
const std::vector<uint8_t> kLabels{1, 1, 0, 1, 0, 1, 0, 0};

Ranking example() { return Ranking(kScores, kLabels); }

// A random binary problem: positives score higher on average.
void random_problem(size_t n, uint64_t seed, std::vector<double>& scores, std::vector<uint8_t>& labels) {
  Rng rng(seed);
  scores.resize(n);
  labels.resize(n);
  for (size_t i = 0; i < n; ++i) {
    labels[i] = rng.uniform() < 0.1;
    scores[i] = rng.uniform() + 0.3 * labels[i];
  }
}

}  // namespace

TEST(AveragePrecision, HandComputedWithTies) {
  // Each threshold adds (new positives / P) * precision: (1*1 + 1*2/3 + 1*3/4 + 1*4/7) / 4 = 251/336.
  EXPECT_DOUBLE_EQ(average_precision(example()).value(), 251.0 / 336.0);
  EXPECT_DOUBLE_EQ(average_precision(kScores, kLabels).value(), 251.0 / 336.0);
}

TEST(RocAuc, HandComputedWithTies) {
  // Pairs (positive, negative) ranked right count 1, tied 1/2 (positives 0.9, 0.8, 0.7, 0.5 against
  // negatives 0.8, 0.5, 0.5, 0.1): 4 + (3 + 0.5) + 3 + (1 + 2 * 0.5) = 12.5 of 16 = 0.78125.
  EXPECT_DOUBLE_EQ(roc_auc(example()).value(), 0.78125);
  EXPECT_DOUBLE_EQ(roc_auc(kScores, kLabels).value(), 0.78125);
}

TEST(Prevalence, IsTheFractionPositive) { EXPECT_DOUBLE_EQ(prevalence(example()), 0.5); }

TEST(PrCurve, AscendingThresholdsThenTheRecallZeroPoint) {
  PrCurve c = pr_curve(example()).value();
  EXPECT_EQ(c.thresholds, (std::vector<double>{0.1, 0.5, 0.7, 0.8, 0.9}));
  std::vector<double> precision{4.0 / 8, 4.0 / 7, 3.0 / 4, 2.0 / 3, 1, 1}, recall{1, 1, 0.75, 0.5, 0.25, 0};
  ASSERT_EQ(c.precision.size(), precision.size());
  for (size_t i = 0; i < precision.size(); ++i) {
    EXPECT_DOUBLE_EQ(c.precision[i], precision[i]) << i;
    EXPECT_DOUBLE_EQ(c.recall[i], recall[i]) << i;
  }
}

TEST(RocCurve, LeadingPointAndNoCollinearPointsDropped) {
  // (fp, tp) = (0,1) (1,2) (1,3) (3,4) (4,4): the slope changes at every point, all are kept.
  RocCurve c = roc_curve(example()).value();
  EXPECT_EQ(c.thresholds, (std::vector<double>{0.9 + 1, 0.9, 0.8, 0.7, 0.5, 0.1}));
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0.25, 0.25, 0.75, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 0.25, 0.5, 0.75, 1, 1}));
}

TEST(RocCurve, DropsCollinearPoints) {
  // (fp, tp) = (0,1) (1,1) (2,1) (3,1): the middle two lie on a straight line and go.
  RocCurve c = roc_curve(Ranking(std::vector<double>{4, 3, 2, 1}, std::vector<uint8_t>{1, 0, 0, 0})).value();
  EXPECT_EQ(c.thresholds, (std::vector<double>{5, 4, 1}));
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 1, 1}));
}

TEST(OperatingPoints, PrecisionAtRecallRecallAtPrecisionAndBestF1) {
  Ranking r = example();
  // Recall >= 0.6 at thresholds 0.7 (P 3/4), 0.5 (4/7), 0.1 (1/2): the best is 0.7.
  OperatingPoint p = precision_at_recall(r, 0.6).value();
  EXPECT_EQ(p.threshold, 0.7);
  EXPECT_DOUBLE_EQ(p.precision, 0.75);
  EXPECT_DOUBLE_EQ(p.recall, 0.75);
  // Recall 1 at 0.5 (4/7) and 0.1 (1/2).
  EXPECT_EQ(precision_at_recall(r, 1.0)->threshold, 0.5);
  // Precision >= 0.6 at 0.9 (R 1/4), 0.8 (1/2), 0.7 (3/4): the best recall is at 0.7.
  EXPECT_EQ(recall_at_precision(r, 0.6)->threshold, 0.7);
  EXPECT_DOUBLE_EQ(recall_at_precision(r, 0.6)->recall, 0.75);
  EXPECT_DOUBLE_EQ(recall_at_precision(r, 1.0)->recall, 0.25);
  // Precision 0.5 is reached everywhere; recall 1 first (fewest false positives) at 0.5.
  EXPECT_EQ(recall_at_precision(r, 0.5)->threshold, 0.5);
  // F1 = 2tp / (tp + fp + P): 2/5, 4/7, 6/8, 8/11, 8/12; the best is 0.75 at 0.7.
  OperatingPoint f = best_f1(r).value();
  EXPECT_EQ(f.threshold, 0.7);
  EXPECT_DOUBLE_EQ(f.f1, 0.75);
  EXPECT_DOUBLE_EQ(f.precision, 0.75);
  EXPECT_DOUBLE_EQ(f.recall, 0.75);
  // A precision no threshold reaches.
  Ranking poor(std::vector<double>{0.9, 0.2}, std::vector<uint8_t>{0, 1});
  EXPECT_FALSE(recall_at_precision(poor, 0.9).has_value());
  EXPECT_THROW(precision_at_recall(r, 1.5), UsageError);
  EXPECT_THROW(recall_at_precision(r, -0.1), UsageError);
}

TEST(TopK, KIsTheNumberOfPositives) {
  // k = 4: the four highest are 0.9 (+), 0.8 (+ -), 0.7 (+): 3 of 4.
  TopK t = top_k_accuracy(example()).value();
  EXPECT_EQ(t.k, 4u);
  EXPECT_DOUBLE_EQ(t.accuracy, 0.75);
  EXPECT_EQ(t.threshold, 0.7);
}

TEST(TopK, TiesAtTheCutShareThePlacesInProportion) {
  // k = 3: 0.9 (+) is in; 2 places left for the tied 0.5 (+ - -), of which 1/3 are positive:
  // (1 + 2 * 1/3) / 3 = 5/9.
  TopK t = top_k_accuracy(Ranking(std::vector<double>{0.9, 0.5, 0.5, 0.5, 0.1}, std::vector<uint8_t>{1, 1, 0, 0, 1}))
               .value();
  EXPECT_DOUBLE_EQ(t.accuracy, 5.0 / 9.0);
  EXPECT_EQ(t.threshold, 0.5);
}

TEST(UndefinedMetrics, AreNulloptWithAReasonNeverNan) {
  Ranking negatives(std::vector<double>{0.3, 0.1}, std::vector<uint8_t>{0, 0});
  EXPECT_EQ(why_auprc_undefined(negatives), "no positive labels");
  EXPECT_EQ(why_auroc_undefined(negatives), "no positive labels");
  EXPECT_FALSE(average_precision(negatives));
  EXPECT_FALSE(roc_auc(negatives));
  EXPECT_FALSE(pr_curve(negatives));
  EXPECT_FALSE(roc_curve(negatives));
  EXPECT_FALSE(best_f1(negatives));
  EXPECT_FALSE(precision_at_recall(negatives, 0.5));
  EXPECT_FALSE(recall_at_precision(negatives, 0.5));
  EXPECT_FALSE(top_k_accuracy(negatives));
  EXPECT_EQ(prevalence(negatives), 0.0);

  // Without negatives AUROC is undefined but AUPRC is 1 (every threshold has precision 1), as sklearn.
  Ranking positives(std::vector<double>{0.3, 0.1}, std::vector<uint8_t>{1, 1});
  EXPECT_EQ(why_auroc_undefined(positives), "no negative labels");
  EXPECT_FALSE(roc_auc(positives));
  EXPECT_FALSE(roc_curve(positives));
  EXPECT_EQ(why_auprc_undefined(positives), "");
  EXPECT_EQ(average_precision(positives), 1.0);

  EXPECT_EQ(why_auprc_undefined(example()), "");
  EXPECT_EQ(why_auroc_undefined(example()), "");
}

TEST(EdgeCases, SingleSampleAndAllTied) {
  Ranking one(std::vector<double>{0.4}, std::vector<uint8_t>{1});
  EXPECT_EQ(average_precision(one), 1.0);
  EXPECT_FALSE(roc_auc(one));
  // All tied: one threshold, where precision is the prevalence; every pair is a tie, AUROC 1/2.
  Ranking tied(std::vector<double>(5, 0.7), std::vector<uint8_t>{1, 0, 1, 0, 0});
  EXPECT_DOUBLE_EQ(average_precision(tied).value(), 0.4);
  EXPECT_DOUBLE_EQ(roc_auc(tied).value(), 0.5);
  RocCurve c = roc_curve(tied).value();
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 1}));
}

TEST(LargeInput, AMillionScoresAgreeWithARankSumComputation) {
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  random_problem(1'000'000, 7, scores, labels);
  // Independent AUROC: the Mann-Whitney statistic from midranks (ties share the mean rank).
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0, positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t m = i; m < j; ++m)
      if (labels[order[m]]) positive_rank_sum += midrank, ++positives;
    i = j;
  }
  double negatives = static_cast<double>(scores.size()) - positives;
  double expected_auc = (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
  EXPECT_NEAR(roc_auc(scores, labels).value(), expected_auc, 1e-9);
  double ap = average_precision(scores, labels).value();
  EXPECT_GT(ap, 0.1);
  EXPECT_LT(ap, 1.0);
}

}  // namespace seqdl::metrics
