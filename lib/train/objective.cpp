#include "train/objective.hpp"

#include "metrics/binary.hpp"
#include "metrics/multiclass.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "train/batches.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::train {

Objective::Objective(const data::LabelledSet& train, const std::string& pos_weight, ClassWeights class_weights)
    : type_(train.type) {
  auto positives = train.positives();
  auto n = static_cast<double>(train.size());
  if (type_ == data::TaskType::multiclass) {
    if (class_weights == ClassWeights::automatic) {
      weights_ = torch::empty({static_cast<int64_t>(positives.size())});
      double k = static_cast<double>(positives.size());
      for (size_t c = 0; c < positives.size(); ++c) {
        weights_[static_cast<int64_t>(c)] = n / (k * std::max<double>(1.0, static_cast<double>(positives[c])));
      }
    }
    if (pos_weight != "none") throw UsageError("--pos-weight is for binary and multi-label tasks; use --class-weights");
    return;
  }
  if (class_weights != ClassWeights::none) throw UsageError("--class-weights is for multi-class tasks; use --pos-weight");
  if (pos_weight == "none") return;
  weights_ = torch::empty({static_cast<int64_t>(positives.size())});
  for (size_t t = 0; t < positives.size(); ++t) {
    double w = pos_weight == "auto" ? (n - static_cast<double>(positives[t])) / std::max<double>(1.0, static_cast<double>(positives[t]))
                                    : parse_double(pos_weight, "--pos-weight");
    if (!(w > 0)) throw UsageError("--pos-weight must be positive, found {}", w);
    weights_[static_cast<int64_t>(t)] = w;
  }
}

torch::Tensor Objective::sequence_outputs(const torch::Tensor& logits) {
  return logits.dim() == 3 ? logits.select(2, logits.size(2) / 2) : logits;
}

torch::Tensor Objective::loss(const torch::Tensor& logits, const torch::Tensor& labels) const {
  auto out = sequence_outputs(logits);
  if (type_ == data::TaskType::multiclass) {
    auto options = torch::nn::functional::CrossEntropyFuncOptions();
    if (weights_.defined()) options.weight(weights_);
    return torch::nn::functional::cross_entropy(out, labels, options);
  }
  auto options = torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions();
  if (weights_.defined()) options.pos_weight(weights_);
  return torch::nn::functional::binary_cross_entropy_with_logits(out, labels, options);
}

ValidationMetrics validate(nn::Model& model, const data::LabelledSet& set, const Objective& objective, int64_t batch,
                    const encode::OneHotTable& table) {
  ValidationMetrics v;
  if (set.size() == 0) return v;
  auto n = static_cast<int64_t>(set.size());
  auto logits = infer::predict_codes(model, set.codes, n, batch, table);
  {
    torch::InferenceMode guard;
    v.loss = objective.loss(logits, label_tensor(set, 0, set.size())).item<double>();
  }
  std::vector<double> scores =
      infer::probability_rows(nn::output_activation(set.type), Objective::sequence_outputs(logits));
  auto outputs = static_cast<size_t>(set.outputs());
  metrics::RankingSummary summary;
  if (set.type == data::TaskType::multiclass) {
    summary = metrics::one_vs_rest({scores, outputs}, set.classes);
  } else {
    std::vector<uint8_t> labels(set.targets.size());
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = set.targets[i] > 0.5f;
    summary = metrics::multilabel({scores, outputs}, labels);
  }
  v.auprc = summary.auprc.macro.value_or(0.0);
  v.auroc = summary.auroc.macro.value_or(0.0);
  return v;
}

}  // namespace seqdl::train
