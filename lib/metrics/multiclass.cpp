#include "metrics/multiclass.hpp"

#include "metrics/input_checks.hpp"
#include "util/error.hpp"

namespace seqdl::metrics {
namespace {

// Throws InputError unless the matrix holds rows x columns finite scores, with rows and columns >= 1.
void check_matrix(ScoreMatrix scores, size_t rows) {
  if (scores.columns == 0) throw InputError("the score matrix has no columns; expected one per class or task");
  if (rows == 0) throw InputError("no scores to evaluate; expected at least one sample");
  if (scores.values.size() != rows * scores.columns)
    throw InputError("{} scores for {} samples; expected {} per sample ({} in all)", scores.values.size(), rows,
                     scores.columns, rows * scores.columns);
  if (size_t i = first_non_finite(scores.values); i < scores.values.size())
    throw InputError("scores[{}, {}] is {}; scores must be finite numbers", i / scores.columns, i % scores.columns,
                     scores.values[i]);
}

void check_classes(ScoreMatrix scores, std::span<const int32_t> labels) {
  check_matrix(scores, labels.size());
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || static_cast<size_t>(labels[i]) >= scores.columns)
      throw InputError("labels[{}] is {}; class indices must be in [0, {})", i, labels[i], scores.columns);
}

// The one-hot indicator matrix of class labels (sklearn's label_binarize), row-major like the scores.
std::vector<uint8_t> one_hot(std::span<const int32_t> labels, size_t classes) {
  std::vector<uint8_t> indicator(labels.size() * classes, 0);
  for (size_t i = 0; i < labels.size(); ++i) indicator[i * classes + static_cast<size_t>(labels[i])] = 1;
  return indicator;
}

// Column c of the scores against column c of the indicator matrix.
Ranking column_ranking(ScoreMatrix scores, std::span<const uint8_t> indicator, size_t c) {
  size_t rows = scores.rows();
  std::vector<double> column(rows);
  std::vector<uint8_t> labels(rows);
  for (size_t i = 0; i < rows; ++i) {
    column[i] = scores.values[i * scores.columns + c];
    labels[i] = indicator[i * scores.columns + c];
  }
  return Ranking(column, labels);
}

void add_task(TaskAverage& average, std::optional<double> value, std::string_view why_undefined) {
  average.per_task.push_back(value);
  average.why_undefined.push_back(why_undefined);
}

void finish_macro(TaskAverage& average) {
  double sum = 0;
  size_t defined = 0;
  for (const auto& value : average.per_task)
    if (value) {
      sum += *value;
      ++defined;
    }
  if (defined > 0) average.macro = sum / static_cast<double>(defined);
}

// Both averages of both metrics over the columns of an already checked indicator matrix.
RankingSummary summarize(ScoreMatrix scores, std::span<const uint8_t> indicator) {
  RankingSummary summary;
  for (size_t c = 0; c < scores.columns; ++c) {
    Ranking ranking = column_ranking(scores, indicator, c);
    add_task(summary.auprc, average_precision(ranking), why_auprc_undefined(ranking));
    add_task(summary.auroc, roc_auc(ranking), why_auroc_undefined(ranking));
  }
  finish_macro(summary.auprc);
  finish_macro(summary.auroc);
  Ranking pooled(scores.values, indicator);
  summary.auprc.micro = average_precision(pooled);
  summary.auprc.why_micro_undefined = why_auprc_undefined(pooled);
  summary.auroc.micro = roc_auc(pooled);
  summary.auroc.why_micro_undefined = why_auroc_undefined(pooled);
  return summary;
}

}  // namespace

std::vector<size_t> TaskAverage::skipped() const {
  std::vector<size_t> tasks;
  for (size_t t = 0; t < per_task.size(); ++t)
    if (!per_task[t]) tasks.push_back(t);
  return tasks;
}

RankingSummary one_vs_rest(ScoreMatrix scores, std::span<const int32_t> labels) {
  check_classes(scores, labels);
  return summarize(scores, one_hot(labels, scores.columns));
}

RankingSummary multilabel(ScoreMatrix scores, std::span<const uint8_t> labels) {
  if (labels.size() != scores.values.size())
    throw InputError("{} labels for {} scores; expected one label per score", labels.size(), scores.values.size());
  check_matrix(scores, scores.rows());
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] > 1)
      throw InputError("labels[{}, {}] is {}; multi-label labels must be 0 or 1", i / scores.columns,
                       i % scores.columns, labels[i]);
  return summarize(scores, labels);
}

std::vector<int32_t> predicted_classes(ScoreMatrix scores) {
  check_matrix(scores, scores.rows());
  std::vector<int32_t> predicted(scores.rows());
  for (size_t i = 0; i < predicted.size(); ++i) {
    auto row = scores.row(i);
    size_t best = 0;
    for (size_t c = 1; c < row.size(); ++c)
      if (row[c] > row[best]) best = c;  // strict: the lowest index wins a tie
    predicted[i] = static_cast<int32_t>(best);
  }
  return predicted;
}

double accuracy(ScoreMatrix scores, std::span<const int32_t> labels) {
  check_classes(scores, labels);
  std::vector<int32_t> predicted = predicted_classes(scores);
  size_t correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i];
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

ConfusionMatrix confusion_matrix(ScoreMatrix scores, std::span<const int32_t> labels) {
  check_classes(scores, labels);
  std::vector<int32_t> predicted = predicted_classes(scores);
  ConfusionMatrix matrix{scores.columns, std::vector<uint64_t>(scores.columns * scores.columns, 0)};
  for (size_t i = 0; i < labels.size(); ++i)
    ++matrix.counts[static_cast<size_t>(labels[i]) * scores.columns + static_cast<size_t>(predicted[i])];
  return matrix;
}

std::optional<TopK> top_k_accuracy(ScoreMatrix scores, std::span<const int32_t> labels, size_t cls) {
  check_classes(scores, labels);
  if (cls >= scores.columns)
    throw UsageError("class {} does not exist; the scores have {} classes", cls, scores.columns);
  return top_k_accuracy(column_ranking(scores, one_hot(labels, scores.columns), cls));
}

}  // namespace seqdl::metrics
