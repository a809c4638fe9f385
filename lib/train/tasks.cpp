#include "train/classification_task.hpp"
#include "train/profile_task.hpp"
#include "train/splice_task.hpp"
#include "train/task.hpp"

namespace seqdl::train {

std::unique_ptr<Task> make_task(const TrainOptions& options, int64_t length) {
  if (!options.splice.annotation.empty()) return std::make_unique<SpliceTask>(options, length);  // splice sites
  if (options.profile.enabled()) return std::make_unique<ProfileTask>(options, length);  // --coverage
  return std::make_unique<ClassificationTask>(options, length);
}

}  // namespace seqdl::train
