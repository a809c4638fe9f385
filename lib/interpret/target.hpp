// What an attribution explains: one output of the model (a task, or a class of a multi-class model), as a
// logit or a probability, and for per-position models a position or a window of positions (summed).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "nn/model.hpp"

namespace seqdl::interpret {

struct TargetSpec {
  std::string target;        // task or class name, or index; "" = the first output
  int64_t position = -1;     // per-position models: output position (-1 = the centre)
  int64_t window = 0;        // per-position models: explain the sum over this many positions around `position`
  bool probability = false;  // explain the probability instead of the logit
};

class Target {
 public:
  // UsageError for an unknown task or a position outside the model's output.
  Target(const nn::ModelInfo& info, const TargetSpec& spec);

  // The explained score of each example from the model's raw outputs: [batch].
  torch::Tensor score(const torch::Tensor& outputs) const;
  const std::string& description() const { return description_; }
  int64_t index() const { return index_; }

 private:
  int64_t index_ = 0;
  bool per_position_ = false;
  int64_t first_ = 0, count_ = 1;  // output positions summed
  bool probability_ = false, multiclass_ = false;
  std::string description_;
};

}  // namespace seqdl::interpret
