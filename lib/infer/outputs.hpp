// Model outputs as commands use them: the probability rule of nn/model_info.hpp applied to logit tensors, and the
// selection of some outputs (by name or index) out of all of them.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "nn/model_info.hpp"

namespace seqdl::infer {

// Probabilities from logits [batch, outputs] or [batch, outputs, positions]: a sigmoid per output, or a softmax
// over dimension 1 (the classes) for multi-class models.
torch::Tensor probabilities(nn::Activation activation, const torch::Tensor& logits);
inline torch::Tensor probabilities(const nn::ModelInfo& info, const torch::Tensor& logits) {
  return probabilities(nn::output_activation(info.task_type), logits);
}

// The same as doubles, row-major [n, outputs], for metrics.
std::vector<double> probability_rows(nn::Activation activation, const torch::Tensor& logits);

// Which outputs a command writes (--task / --target, by name or index; all by default).
class OutputSelection {
 public:
  // UsageError naming `option` and the model's outputs for an unknown name or an index out of range.
  OutputSelection(const nn::ModelInfo& info, const std::vector<std::string>& wanted, std::string_view option);

  const std::vector<std::string>& names() const { return names_; }
  const std::vector<int64_t>& indices() const { return index_; }
  size_t size() const { return index_.size(); }
  // Copies the selected outputs from `all` (output t at all[t * stride]) into `out`.
  void select(const float* all, int64_t stride, float* out) const {
    for (size_t k = 0; k < index_.size(); ++k) out[k] = all[index_[k] * stride];
  }
  // The same for rows of `positions` values per output: out[k * positions + p] = all[output_k * positions + p].
  void select_rows(const float* all, int64_t positions, float* out) const {
    for (size_t k = 0; k < index_.size(); ++k) {
      std::copy_n(all + index_[k] * positions, positions, out + static_cast<int64_t>(k) * positions);
    }
  }

 private:
  std::vector<std::string> names_;
  std::vector<int64_t> index_;
};

}  // namespace seqdl::infer
