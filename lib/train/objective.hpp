// What training minimises and how progress is measured: the loss chosen by task type (BCE with logits for
// binary and multi-label, optionally weighted for imbalance; cross-entropy for multi-class, optionally with
// class weights) and the validation metrics used for early stopping (macro AUPRC and AUROC over tasks or
// classes, computed by lib/metrics exactly as sklearn does).
#pragma once

#include <torch/torch.h>

#include <string>

#include "data/labelled_set.hpp"
#include "encode/one_hot.hpp"
#include "nn/model.hpp"
#include "train/train.hpp"

namespace seqdl::train {

class Objective {
 public:
  // pos_weight: "none" | "auto" (negatives / positives per task) | a number; class_weights: automatic is the
  // inverse class frequency, normalised to mean 1. Weights come from the training set.
  Objective(const data::LabelledSet& train, const std::string& pos_weight, ClassWeights class_weights);

  // Per-position networks trained on per-sequence labels are scored at their central output position.
  static torch::Tensor sequence_outputs(const torch::Tensor& logits);
  torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const;
  const torch::Tensor& weights() const { return weights_; }

 private:
  data::TaskType type_;
  torch::Tensor weights_;  // pos_weight [tasks] or class weights [classes]; undefined when unweighted
};

struct ValidationMetrics {
  double loss = 0;
  double auprc = 0, auroc = 0;  // macro over tasks / classes (tasks with one label only are left out)
};

ValidationMetrics validate(nn::Model& model, const data::LabelledSet& set, const Objective& objective, int64_t batch,
                    const encode::OneHotTable& table);


}  // namespace seqdl::train
