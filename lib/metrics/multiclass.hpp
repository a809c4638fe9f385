// Metrics for several outputs per sample: multi-class (one score per class, one true class per sample)
// and multi-label (independent binary tasks). Scores are a row-major n x k matrix of probabilities or
// logits. Per-class metrics, argmax and top-k only compare scores within a column or a row, so logits and
// their softmax give the same values; micro averages pool all columns into one ranking, so for them
// logits and probabilities differ (sklearn's micro averages are meant for probabilities).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "metrics/binary.hpp"

namespace seqdl::metrics {

// Sample i's scores are values[i * columns, (i + 1) * columns).
struct ScoreMatrix {
  std::span<const double> values;
  size_t columns = 0;

  size_t rows() const { return columns == 0 ? 0 : values.size() / columns; }
  std::span<const double> row(size_t i) const { return values.subspan(i * columns, columns); }
};

// One binary metric over several tasks (the classes one-vs-rest, or the labels of a multi-label set).
struct TaskAverage {
  std::vector<std::optional<double>> per_task;
  std::vector<std::string_view> why_undefined;  // per task: "" where defined, else e.g. "no positive labels"
  // Mean over the tasks where the metric is defined (sklearn's average='macro' when all are); nullopt when
  // none is. skipped() lists the tasks left out.
  std::optional<double> macro;
  // The metric over every (sample, task) pair pooled: the label indicator matrix and the scores
  // flattened, which is sklearn's average='micro' for multilabel indicator input.
  std::optional<double> micro;
  std::string_view why_micro_undefined;

  std::vector<size_t> skipped() const;
};

struct RankingSummary {
  TaskAverage auprc, auroc;
};

// Multi-class: per-class one-vs-rest AUPRC and AUROC (class c's scores against labels == c), macro and
// micro. The macro AUROC is sklearn's roc_auc_score(multi_class='ovr'). sklearn's roc_auc_score has no
// micro average for multi-class labels; ours is what it computes for the one-hot (label_binarize) matrix.
// labels[i] is sample i's class in [0, columns); InputError for anything malformed.
RankingSummary one_vs_rest(ScoreMatrix scores, std::span<const int32_t> labels);

// Multi-label: `labels` is the n x t indicator matrix (0/1), row-major like the scores.
RankingSummary multilabel(ScoreMatrix scores, std::span<const uint8_t> labels);

// Each row's highest-scoring class; ties go to the lowest index, as numpy.argmax.
std::vector<int32_t> predicted_classes(ScoreMatrix scores);

// Fraction of samples whose predicted class (argmax) is their label.
double accuracy(ScoreMatrix scores, std::span<const int32_t> labels);

// counts[truth * classes + predicted], rows the true class and columns the predicted one (argmax), as
// sklearn's confusion_matrix(y_true, y_pred, labels=range(classes)).
struct ConfusionMatrix {
  size_t classes = 0;
  std::vector<uint64_t> counts;

  uint64_t at(size_t truth, size_t predicted) const { return counts[truth * classes + predicted]; }
};
ConfusionMatrix confusion_matrix(ScoreMatrix scores, std::span<const int32_t> labels);

// SpliceAI's top-k accuracy for one class (see top_k_accuracy in binary.hpp): k is the number of samples
// of that class, ranked by the class's score. nullopt when no sample has that class.
std::optional<TopK> top_k_accuracy(ScoreMatrix scores, std::span<const int32_t> labels, size_t cls);

}  // namespace seqdl::metrics
