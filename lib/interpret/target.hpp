// What an attribution explains (target_spec.hpp), resolved against a model and applied to its outputs.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "interpret/target_spec.hpp"
#include "nn/model_info.hpp"

namespace seqdl::interpret {

class Target {
 public:
  // UsageError for an unknown head or task, or a position outside the model's output.
  Target(const nn::ModelInfo& info, const TargetSpec& spec);

  // The explained score of each example from the raw outputs of the target's head: [batch]. A weighted profile
  // target takes its weights, constants, from `weights_from` (by default the outputs themselves; DeepLIFT scores
  // each reference with its input's weights).
  torch::Tensor score(const torch::Tensor& outputs) const { return score(outputs, outputs); }
  torch::Tensor score(const torch::Tensor& outputs, const torch::Tensor& weights_from) const;
  // d score / d outputs for a score linear in the outputs (a logit, a sum of logits, or weighted logits with their
  // weights held constant): [same shape as outputs].
  torch::Tensor seed(const torch::Tensor& outputs) const;
  bool linear() const { return !probability_; }
  const std::string& description() const { return description_; }
  int64_t index() const { return index_; }
  size_t head() const { return head_; }  // which of the model's heads

 private:
  torch::Tensor weights(const torch::Tensor& outputs) const;  // softmax over positions, detached, minus 1 / L

  size_t head_ = 0;
  int64_t index_ = 0;
  bool per_position_ = false;
  bool weighted_ = false;          // softmax-weighted profile logits
  int64_t first_ = 0, count_ = 1;  // output positions summed
  bool probability_ = false;
  nn::Activation activation_;
  std::string description_;
};

}  // namespace seqdl::interpret
