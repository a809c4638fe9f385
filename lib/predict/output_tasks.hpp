// Which model outputs a prediction writes (--task, repeatable; default all), by name or index.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "nn/model.hpp"

namespace seqdl::predict {

class OutputTasks {
 public:
  // UsageError naming the model's tasks for an unknown name or an index out of range.
  OutputTasks(const nn::ModelInfo& info, const std::vector<std::string>& wanted);

  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return index_.size(); }
  // Copies the selected outputs from `all` (task t at all[t * stride]) into `out`.
  void select(const float* all, int64_t stride, float* out) const {
    for (size_t k = 0; k < index_.size(); ++k) out[k] = all[index_[k] * stride];
  }
  // The same for rows of `positions` values per task: out[k * positions + p] = all[task_k * positions + p].
  void select_rows(const float* all, int64_t positions, float* out) const {
    for (size_t k = 0; k < index_.size(); ++k) {
      std::copy_n(all + index_[k] * positions, positions, out + static_cast<int64_t>(k) * positions);
    }
  }

 private:
  std::vector<std::string> names_;
  std::vector<int64_t> index_;
};

}  // namespace seqdl::predict
