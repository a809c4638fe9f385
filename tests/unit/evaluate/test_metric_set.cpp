#include <gtest/gtest.h>

#include "evaluate/html_report.hpp"
#include "evaluate/metric_set.hpp"
#include "evaluate/outputs.hpp"
#include "metrics/multiclass.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::evaluate {
namespace {

ScoredSet binary(std::vector<double> scores, std::vector<uint8_t> labels, std::string name = "t") {
  ScoredSet s;
  s.type = data::TaskType::binary;
  s.names = {std::move(name)};
  s.rows = scores.size();
  s.scores = std::move(scores);
  s.labels = std::move(labels);
  return s;
}

}  // namespace

TEST(MetricSet, HandComputedBinary) {
  // Descending: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-). AP = (1 * 1 + 1 * 2/3) / 2 = 5/6; AUROC: 3 of 4 pairs.
  MetricOptions o;
  o.recall_levels = {1.0};
  o.precision_levels = {1.0};
  Evaluation ev = evaluate_scores(binary({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), o);
  ASSERT_EQ(ev.tasks.size(), 1u);
  const TaskMetrics& t = ev.tasks[0];
  EXPECT_DOUBLE_EQ(*t.auprc, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(*t.auroc, 0.75);
  EXPECT_DOUBLE_EQ(t.prevalence, 0.5);
  EXPECT_TRUE(ev.probabilities);
  // Brier: (0.01 + 0.16 + 0.4225 + 0.04) / 4.
  EXPECT_NEAR(t.calibration->brier, 0.158125, 1e-15);
  // Best F1: threshold 0.35 gives tp 2, fp 1: F1 = 4/5; threshold 0.8: 1/(1 + 0.5) = 2/3.
  EXPECT_DOUBLE_EQ(t.best_f1->f1, 0.8);
  EXPECT_DOUBLE_EQ(t.best_f1->threshold, 0.35);
  EXPECT_DOUBLE_EQ(t.precision_at_recall[0].point->precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(t.recall_at_precision[0].point->recall, 0.5);
  EXPECT_DOUBLE_EQ(t.top_k->accuracy, 0.5);  // k = 2: 0.8 (+) and 0.4 (-)
  EXPECT_EQ(*ev.overall.auprc_macro, *t.auprc);
  EXPECT_EQ(*ev.overall.auprc_micro, *t.auprc);
  EXPECT_TRUE(ev.warnings.empty());
}

TEST(MetricSet, UndefinedMetricsAreNullWithAWarning) {
  Evaluation ev = evaluate_scores(binary({0.1, 0.4, 0.2}, {0, 0, 0}, "empty"), {});
  const TaskMetrics& t = ev.tasks[0];
  EXPECT_FALSE(t.auprc);
  EXPECT_FALSE(t.auroc);
  EXPECT_FALSE(t.best_f1);
  EXPECT_FALSE(t.top_k);
  EXPECT_TRUE(t.calibration);  // Brier and ECE are defined for any labels
  ASSERT_EQ(ev.warnings.size(), 1u);
  EXPECT_NE(ev.warnings[0].find("task 'empty': no positive labels"), std::string::npos) << ev.warnings[0];
  nlohmann::json j = metrics_json(ev);
  EXPECT_TRUE(j["tasks"][0]["auprc"].is_null());
  EXPECT_TRUE(j["overall"]["auprc"].is_null());
  EXPECT_EQ(j["tasks"][0]["undefined"]["auprc"], "no positive labels");
  EXPECT_EQ(j["warnings"].size(), 1u);
  std::string tsv = metrics_tsv(ev);
  EXPECT_NE(tsv.find("empty\t3\t0\t0\tNA\tNA\t"), std::string::npos) << tsv;
  EXPECT_EQ(tsv.find("nan"), std::string::npos);

  Evaluation all = evaluate_scores(binary({0.1, 0.4}, {1, 1}, "full"), {});
  EXPECT_DOUBLE_EQ(*all.tasks[0].auprc, 1.0);  // as sklearn
  EXPECT_FALSE(all.tasks[0].auroc);
  ASSERT_EQ(all.warnings.size(), 1u);
  EXPECT_NE(all.warnings[0].find("no negative labels"), std::string::npos);
}

TEST(MetricSet, ScoresOutsideTheUnitIntervalGetNoCalibration) {
  Evaluation ev = evaluate_scores(binary({-3, 4, 0.5}, {0, 1, 1}), {});
  EXPECT_FALSE(ev.probabilities);
  EXPECT_FALSE(ev.tasks[0].calibration);
  EXPECT_TRUE(metrics_json(ev)["tasks"][0]["brier"].is_null());
}

TEST(MetricSet, MacroIsWhatValidationReports) {
  // A multi-label set with one undefined task: the macro average skips it as lib/metrics does.
  Rng rng(3);
  ScoredSet s;
  s.type = data::TaskType::multilabel;
  s.names = {"a", "b", "none"};
  s.rows = 500;
  for (size_t i = 0; i < s.rows; ++i) {
    for (size_t k = 0; k < 3; ++k) {
      uint8_t y = k < 2 && rng.uniform() < 0.2;
      s.labels.push_back(y);
      s.scores.push_back(std::min(1.0, rng.uniform() * 0.8 + 0.2 * y));
    }
  }
  Evaluation ev = evaluate_scores(s, {});
  metrics::RankingSummary ref = metrics::multilabel({s.scores, 3}, s.labels);
  EXPECT_EQ(*ev.overall.auprc_macro, *ref.auprc.macro);  // bit for bit
  EXPECT_EQ(*ev.overall.auroc_macro, *ref.auroc.macro);
  EXPECT_EQ(*ev.overall.auprc_micro, *ref.auprc.micro);
  EXPECT_EQ(ev.warnings.size(), 2u);  // the task, and the macro averages leaving it out
}

TEST(MetricSet, MultiClass) {
  ScoredSet s;
  s.type = data::TaskType::multiclass;
  s.names = {"x", "y", "z"};
  s.rows = 4;
  s.scores = {0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.2, 0.2, 0.6, 0.5, 0.4, 0.1};
  s.classes = {0, 1, 2, 1};
  Evaluation ev = evaluate_scores(s, {});
  ASSERT_EQ(ev.tasks.size(), 3u);
  EXPECT_DOUBLE_EQ(*ev.overall.accuracy, 0.75);
  EXPECT_EQ(ev.overall.confusion->at(1, 0), 1u);
  EXPECT_EQ(ev.tasks[1].positives, 2u);
  metrics::RankingSummary ref = metrics::one_vs_rest({s.scores, 3}, s.classes);
  EXPECT_EQ(*ev.overall.auprc_macro, *ref.auprc.macro);
  EXPECT_EQ(*ev.overall.auroc_micro, *ref.auroc.micro);
  // Multi-class Brier: mean over samples of the summed squared error.
  double brier = (0.09 + 0.04 + 0.01 + 0.09 + 0.16 + 0.01 + 0.04 + 0.04 + 0.16 + 0.25 + 0.36 + 0.01) / 4;
  EXPECT_NEAR(ev.overall.calibration->brier, brier, 1e-15);
  nlohmann::json j = metrics_json(ev);
  EXPECT_EQ(j["overall"]["confusion_matrix"]["counts"][1][0], 1);
  EXPECT_EQ(j["task_type"], "multiclass");
}

TEST(MetricSet, BadInputAndOptions) {
  EXPECT_THROW(evaluate_scores(binary({}, {}), {}), InputError);
  EXPECT_THROW(evaluate_scores(binary({0.1, std::nan("")}, {0, 1}), {}), InputError);
  MetricOptions o;
  o.recall_levels = {1.5};
  EXPECT_THROW(evaluate_scores(binary({0.1, 0.2}, {0, 1}), o), UsageError);
}

TEST(MetricSet, BootstrapIsSeeded) {
  Rng rng(1);
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  for (int i = 0; i < 400; ++i) {
    labels.push_back(rng.uniform() < 0.3);
    scores.push_back(rng.uniform() + 0.4 * labels.back());
  }
  MetricOptions o;
  o.bootstrap = 200;
  o.seed = 7;
  Evaluation a = evaluate_scores(binary(scores, labels), o), b = evaluate_scores(binary(scores, labels), o);
  ASSERT_TRUE(a.tasks[0].auprc_ci);
  EXPECT_EQ(*a.tasks[0].auprc_ci->lower, *b.tasks[0].auprc_ci->lower);
  EXPECT_LT(*a.tasks[0].auprc_ci->lower, *a.tasks[0].auprc);
  EXPECT_GT(*a.tasks[0].auprc_ci->upper, *a.tasks[0].auprc);
  EXPECT_NE(metrics_tsv(a).find("auprc_low"), std::string::npos);
}

TEST(Report, HasThePlotsTheTableAndTheProvenance) {
  MetricOptions o;
  o.curves = true;
  Evaluation ev = evaluate_scores(binary({0.1, 0.4, 0.35, 0.8, 0.9, 0.05}, {0, 0, 1, 1, 1, 0}, "Bound"), o);
  ReportContext ctx;
  ctx.subject = "m.seqdl";
  ctx.inputs = {{"model", "m.seqdl"}};
  ctx.provenance = {{"command_line", "seqdl evaluate --model m.seqdl"}, {"versions", {{"seqdl", "0.1.0"}}}};
  std::string html = report_html(ev, ctx);
  for (const char* part : {"class=\"seqdl-plot\"", "pr-plot", "roc-plot", "reliability-figure", "series pr-curve",
                           "series roc-curve", "series reliability-curve", "bars bin-counts", "seqdl evaluate --model m.seqdl",
                           "<table class=\"metrics\">"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace seqdl::evaluate
