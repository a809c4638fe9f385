#include <gtest/gtest.h>

#include <cmath>

#include "metrics/multiclass.hpp"
#include "util/error.hpp"

namespace seqdl::metrics {
namespace {

// Four samples, three classes. Argmax: 0, 2, 0 (a tie between 0 and 1 goes to 0), 2.
const std::vector<double> kScores{
    0.7, 0.2, 0.1,  // class 0
    0.3, 0.3, 0.4,  // class 2
    0.5, 0.5, 0.0,  // class 1
    0.1, 0.2, 0.7,  // class 1
};
const std::vector<int32_t> kLabels{0, 2, 1, 1};
const ScoreMatrix kMatrix{kScores, 3};

}  // namespace

TEST(MultiClass, ArgmaxAccuracyAndConfusionMatrix) {
  EXPECT_EQ(predicted_classes(kMatrix), (std::vector<int32_t>{0, 2, 0, 2}));
  EXPECT_DOUBLE_EQ(accuracy(kMatrix, kLabels), 0.5);
  ConfusionMatrix m = confusion_matrix(kMatrix, kLabels);
  EXPECT_EQ(m.classes, 3u);
  // Rows true, columns predicted: 0 -> 0; 1 -> 0 and 2; 2 -> 2.
  EXPECT_EQ(m.counts, (std::vector<uint64_t>{1, 0, 0, 1, 0, 1, 0, 0, 1}));
  EXPECT_EQ(m.at(1, 2), 1u);
}

TEST(MultiClass, OneVsRestMacroAndMicro) {
  RankingSummary s = one_vs_rest(kMatrix, kLabels);
  // Class 0: 0.7 (+) above 0.5, 0.3, 0.1: AUROC 1, AP 1.
  // Class 1: scores .2 .3 .5 .2 for labels - - + +: .5 beats both, .2 ties one and loses one:
  //   AUROC (2 + 0.5) / 4 = 0.625; AP: .5 (+) precision 1, .2 (+ -) precision 2/4: (1 + 0.5) / 2 = 0.75.
  // Class 2: scores .1 .4 0 .7 for labels - + - -: .4 beats 2 of 3: AUROC 2/3; AP: precision 1/2 at .4.
  ASSERT_EQ(s.auroc.per_task.size(), 3u);
  EXPECT_DOUBLE_EQ(*s.auroc.per_task[0], 1.0);
  EXPECT_DOUBLE_EQ(*s.auroc.per_task[1], 0.625);
  EXPECT_DOUBLE_EQ(*s.auroc.per_task[2], 2.0 / 3);
  EXPECT_DOUBLE_EQ(*s.auroc.macro, (1 + 0.625 + 2.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(*s.auprc.per_task[0], 1.0);
  EXPECT_DOUBLE_EQ(*s.auprc.per_task[1], 0.75);
  EXPECT_DOUBLE_EQ(*s.auprc.per_task[2], 0.5);
  EXPECT_DOUBLE_EQ(*s.auprc.macro, 0.75);
  EXPECT_TRUE(s.auprc.skipped().empty());
  // Micro: the 12 scores against the one-hot matrix. Positives .7 .4 .5 .2; negatives .2 .1 .3 .3 .5 0 .1 .7.
  //   AUROC: .7 beats 7 ties 1 (7.5), .4 beats 6, .5 beats 6 ties 1 (6.5), .2 beats 3 ties 1 (3.5): 23.5 / 32.
  //   AP: thresholds .7 (1+ 1-) .5 (1+ 1-) .4 (1+) .3 (2-) .2 (1+ 1-): precisions at new positives
  //   1/2, 2/4, 3/5, 4/9: (0.5 + 0.5 + 0.6 + 4/9) / 4 = 23/45.
  EXPECT_DOUBLE_EQ(*s.auroc.micro, 23.5 / 32);
  EXPECT_DOUBLE_EQ(*s.auprc.micro, 23.0 / 45);
}

TEST(MultiClass, MacroSkipsClassesWithoutSamplesAndSaysWhich) {
  std::vector<int32_t> labels{0, 1, 1, 0};  // nobody is class 2
  RankingSummary s = one_vs_rest(kMatrix, labels);
  EXPECT_EQ(s.auprc.skipped(), std::vector<size_t>{2});
  EXPECT_EQ(s.auroc.skipped(), std::vector<size_t>{2});
  EXPECT_FALSE(s.auprc.per_task[2]);
  EXPECT_EQ(s.auprc.why_undefined[2], "no positive labels");
  EXPECT_EQ(s.auprc.why_undefined[0], "");
  ASSERT_TRUE(s.auroc.macro);
  EXPECT_DOUBLE_EQ(*s.auroc.macro, (*s.auroc.per_task[0] + *s.auroc.per_task[1]) / 2);
}

TEST(MultiClass, TopKForOneClass) {
  // Class 1 has 2 samples; its two highest scores are .5 (+) and .3 (-): 1/2.
  TopK t = top_k_accuracy(kMatrix, kLabels, 1).value();
  EXPECT_EQ(t.k, 2u);
  EXPECT_DOUBLE_EQ(t.accuracy, 0.5);
  EXPECT_EQ(t.threshold, 0.3);
  EXPECT_FALSE(top_k_accuracy(kMatrix, std::vector<int32_t>{0, 0, 1, 1}, 2));
  EXPECT_THROW(top_k_accuracy(kMatrix, kLabels, 3), UsageError);
}

TEST(MultiLabel, MacroAndMicroOverIndependentTasks) {
  // Two tasks, three samples. Task 0: scores .9 .1 .5 for 1 0 0: AUROC 1, AP 1.
  // Task 1: scores .2 .8 .4 for 0 0 1: .4 beats .2 only: AUROC 1/2; AP: .8 (-) then .4 (+): 1/2.
  std::vector<double> scores{0.9, 0.2, 0.1, 0.8, 0.5, 0.4};
  std::vector<uint8_t> labels{1, 0, 0, 0, 0, 1};
  RankingSummary s = multilabel({scores, 2}, labels);
  EXPECT_DOUBLE_EQ(*s.auroc.macro, 0.75);
  EXPECT_DOUBLE_EQ(*s.auprc.macro, 0.75);
  // Micro: positives .9 .4 against .8 .5 .2 .1: .9 beats 4, .4 beats 2: 6/8. AP: .9 (+) 1, then .4 (+)
  // after .8 and .5: 2/4: (1 + 0.5) / 2.
  EXPECT_DOUBLE_EQ(*s.auroc.micro, 0.75);
  EXPECT_DOUBLE_EQ(*s.auprc.micro, 0.75);
}

TEST(MultiClass, MalformedInputIsAnInputError) {
  auto message = [](auto f) {
    try {
      f();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message([] { accuracy(kMatrix, std::vector<int32_t>{0, 1, 3, 0}); }),
            "labels[2] is 3; class indices must be in [0, 3)");
  EXPECT_EQ(message([] { accuracy(kMatrix, std::vector<int32_t>{0, 1, -1, 0}); }),
            "labels[2] is -1; class indices must be in [0, 3)");
  EXPECT_EQ(message([] { accuracy(kMatrix, std::vector<int32_t>{0, 1, 2}); }),
            "12 scores for 3 samples; expected 3 per sample (9 in all)");
  std::vector<double> with_nan = kScores;
  with_nan[7] = NAN;
  EXPECT_EQ(message([&] { one_vs_rest({with_nan, 3}, kLabels); }),
            "scores[2, 1] is nan; scores must be finite numbers");
  EXPECT_EQ(message([] { one_vs_rest({{}, 3}, {}); }), "no scores to evaluate; expected at least one sample");
  EXPECT_EQ(message([] { multilabel(kMatrix, std::vector<uint8_t>(12, 2)); }),
            "labels[0, 0] is 2; multi-label labels must be 0 or 1");
  EXPECT_EQ(message([] { multilabel(kMatrix, std::vector<uint8_t>(11, 0)); }),
            "11 labels for 12 scores; expected one label per score");
  EXPECT_THROW(confusion_matrix({kScores, 0}, kLabels), InputError);
}

}  // namespace seqdl::metrics
