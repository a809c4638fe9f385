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
  // UsageError for an unknown task or a position outside the model's output.
  Target(const nn::ModelInfo& info, const TargetSpec& spec);

  // The explained score of each example from the model's raw outputs: [batch].
  torch::Tensor score(const torch::Tensor& outputs) const;
  // d score / d outputs, for a score that is linear in the outputs (a logit or a sum of logits): ones where
  // score() reads, zeros elsewhere.
  torch::Tensor seed(const torch::Tensor& outputs) const;
  bool linear() const { return !probability_; }
  const std::string& description() const { return description_; }
  int64_t index() const { return index_; }

 private:
  int64_t index_ = 0;
  bool per_position_ = false;
  int64_t first_ = 0, count_ = 1;  // output positions summed
  bool probability_ = false;
  nn::Activation activation_;
  std::string description_;
};

}  // namespace seqdl::interpret
