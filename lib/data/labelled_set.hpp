// Labelled sequences held as base codes (one byte per base, all of one length), with their labels: the
// in-memory form of every training and evaluation set. One-hot floats are only made per batch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/choices.hpp"

namespace seqdl::data {

enum class TaskType { binary, multilabel, multiclass };
inline constexpr Choices<TaskType, 3> kTaskTypeChoices{
    {{"binary", TaskType::binary}, {"multilabel", TaskType::multilabel}, {"multiclass", TaskType::multiclass}}};
inline std::string_view task_type_name(TaskType t) { return choice_name(kTaskTypeChoices, t); }

struct LabelledSet {
  TaskType type = TaskType::binary;
  std::vector<std::string> task_names;  // binary/multi-label: one per task; multi-class: the class names
  int64_t length = 0;
  std::vector<std::string> ids;
  std::vector<std::string> chroms;  // per example where known (genomic sets, "chr:start-end" ids); else ""
  std::string codes;                // size() * length bases
  std::vector<float> targets;       // binary/multi-label: size() * outputs()
  std::vector<int32_t> classes;     // multi-class: size()

  size_t size() const { return ids.size(); }
  // Model outputs this set needs: tasks, or classes for multi-class.
  int64_t outputs() const { return static_cast<int64_t>(task_names.size()); }
  std::string_view sequence(size_t i) const {
    return std::string_view(codes).substr(i * static_cast<size_t>(length), static_cast<size_t>(length));
  }
  // Appends one example; `seq` must already have the set's length.
  void add(std::string id, std::string_view seq, const float* target, int32_t cls, std::string chrom = "");
  LabelledSet subset(const std::vector<size_t>& rows) const;
  // Examples per class (multi-class) or positives per task (binary/multi-label).
  std::vector<int64_t> positives() const;
};

// The chromosome in an id such as "chr12:82386381-82386481" (FASTA headers of peak sets), or "".
std::string chrom_of_id(std::string_view id);

}  // namespace seqdl::data
