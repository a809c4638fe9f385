// What `seqdl evaluate` measures, however it was obtained (a model run over labelled sequences, or a score
// table joined with a label table): one score per sample and task (or class), and the truth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/labelled_set.hpp"

namespace seqdl::evaluate {

struct ScoredSet {
  data::TaskType type = data::TaskType::binary;
  std::vector<std::string> names;  // binary / multi-label: one per task; multi-class: the classes
  size_t rows = 0;
  std::vector<double> scores;    // rows x columns(), row-major
  std::vector<uint8_t> labels;   // binary / multi-label: rows x columns(), 0 or 1
  std::vector<int32_t> classes;  // multi-class: one class index per row

  size_t columns() const { return names.size(); }
};

// "multilabel (tasks: a, b)" / "multiclass (classes: x, y, z)", for messages.
std::string describe_task_type(data::TaskType type, const std::vector<std::string>& names);

}  // namespace seqdl::evaluate
