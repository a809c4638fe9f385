// Cross-checks against scikit-learn: sklearn_reference.py writes seeded inputs and sklearn's values for
// them; every metric here must agree to 1e-9 (curves point by point). Skipped where Debian's Python with
// scikit-learn is not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "common/python_reference.hpp"
#include "metrics/binary.hpp"
#include "metrics/calibration.hpp"
#include "metrics/multiclass.hpp"

namespace seqdl::metrics {
using nlohmann::json;

namespace {

class SklearnReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = test::run_python_reference("tests/unit/metrics/sklearn_reference.py", "python3-sklearn");
  }
  void SetUp() override { reference_.require(); }

  static const json& cases(const char* kind) { return reference_.data.at(kind); }

  static inline test::PythonReference reference_;
};

// Relative to the value's size, absolute near zero.
void expect_close(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

void expect_close(const std::vector<double>& actual, const json& expected, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i)
    expect_close(actual[i], expected[i].get<double>(), what + "[" + std::to_string(i) + "]");
}

void expect_averages(const TaskAverage& ours, const json& expected, const std::string& what) {
  const json& per_task = expected.at("per_task");
  ASSERT_EQ(ours.per_task.size(), per_task.size()) << what;
  for (size_t t = 0; t < per_task.size(); ++t) {
    ASSERT_TRUE(ours.per_task[t].has_value()) << what << " task " << t;
    expect_close(*ours.per_task[t], per_task[t].get<double>(), what + " task " + std::to_string(t));
  }
  ASSERT_TRUE(ours.macro && ours.micro) << what;
  expect_close(*ours.macro, expected.at("macro").get<double>(), what + " macro");
  expect_close(*ours.micro, expected.at("micro").get<double>(), what + " micro");
}

}  // namespace

TEST_F(SklearnReference, BinaryRankingMetricsAndCurves) {
  for (const json& c : cases("binary")) {
    std::string name = c.at("name");
    auto scores = c.at("scores").get<std::vector<double>>();
    auto labels = c.at("labels").get<std::vector<uint8_t>>();
    Ranking ranking(scores, labels);
    expect_close(average_precision(ranking).value(), c.at("average_precision").get<double>(), name + " AP");
    expect_close(roc_auc(ranking).value(), c.at("roc_auc").get<double>(), name + " AUROC");

    PrCurve pr = pr_curve(ranking).value();
    expect_close(pr.precision, c.at("pr_curve").at("precision"), name + " precision");
    expect_close(pr.recall, c.at("pr_curve").at("recall"), name + " recall");
    expect_close(pr.thresholds, c.at("pr_curve").at("thresholds"), name + " PR thresholds");

    RocCurve roc = roc_curve(ranking).value();
    expect_close(roc.fpr, c.at("roc_curve").at("fpr"), name + " fpr");
    expect_close(roc.tpr, c.at("roc_curve").at("tpr"), name + " tpr");
    expect_close(roc.thresholds, c.at("roc_curve").at("thresholds"), name + " ROC thresholds");
  }
}

TEST_F(SklearnReference, BrierScoreAndReliabilityCurve) {
  int checked = 0;
  for (const json& c : cases("binary")) {
    if (!c.contains("brier")) continue;
    std::string name = c.at("name");
    auto probs = c.at("scores").get<std::vector<double>>();
    auto labels = c.at("labels").get<std::vector<uint8_t>>();
    expect_close(brier_score(probs, labels), c.at("brier").get<double>(), name + " Brier");
    for (const json& expected : c.at("calibration")) {
      size_t bins = expected.at("bins");
      std::vector<double> prob_true, prob_pred;
      for (const ReliabilityBin& bin : reliability_curve(probs, labels, bins)) {
        prob_true.push_back(bin.fraction_positive);
        prob_pred.push_back(bin.mean_predicted);
      }
      std::string what = name + " " + std::to_string(bins) + " bins";
      expect_close(prob_true, expected.at("prob_true"), what + " fraction positive");
      expect_close(prob_pred, expected.at("prob_pred"), what + " mean predicted");
      ++checked;
    }
  }
  EXPECT_GE(checked, 12);
}

TEST_F(SklearnReference, MultiClass) {
  for (const json& c : cases("multiclass")) {
    std::string name = c.at("name");
    auto values = c.at("scores").get<std::vector<double>>();
    auto labels = c.at("labels").get<std::vector<int32_t>>();
    ScoreMatrix scores{values, c.at("classes").get<size_t>()};
    RankingSummary summary = one_vs_rest(scores, labels);
    expect_averages(summary.auprc, c.at("average_precision"), name + " AP");
    expect_averages(summary.auroc, c.at("roc_auc"), name + " AUROC");
    expect_close(accuracy(scores, labels), c.at("accuracy").get<double>(), name + " accuracy");
    EXPECT_EQ(confusion_matrix(scores, labels).counts, c.at("confusion_matrix").get<std::vector<uint64_t>>()) << name;
    if (c.contains("top_k"))
      for (size_t cls = 0; cls < scores.columns; ++cls)
        expect_close(top_k_accuracy(scores, labels, cls).value().accuracy, c.at("top_k")[cls].get<double>(),
                     name + " top-k class " + std::to_string(cls));
  }
}

TEST_F(SklearnReference, MultiLabel) {
  for (const json& c : cases("multilabel")) {
    std::string name = c.at("name");
    auto values = c.at("scores").get<std::vector<double>>();
    auto labels = c.at("labels").get<std::vector<uint8_t>>();
    RankingSummary summary = multilabel({values, c.at("tasks").get<size_t>()}, labels);
    expect_averages(summary.auprc, c.at("average_precision"), name + " AP");
    expect_averages(summary.auroc, c.at("roc_auc"), name + " AUROC");
  }
}

}  // namespace seqdl::metrics
