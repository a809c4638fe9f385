#include "train/classification_task.hpp"
#include "train/splice_task.hpp"
#include "train/task.hpp"

namespace seqdl::train {

std::unique_ptr<Task> make_task(const TrainOptions& options, int64_t length) {
  if (!options.splice.annotation.empty()) return std::make_unique<SpliceTask>(options, length);  // splice sites
  return std::make_unique<ClassificationTask>(options, length);
}

}  // namespace seqdl::train
