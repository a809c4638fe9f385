#include "predict/output_tasks.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::predict {

OutputTasks::OutputTasks(const nn::ModelInfo& info, const std::vector<std::string>& wanted) {
  const auto& all = info.task_names;
  if (wanted.empty()) {
    names_ = all;
    for (size_t t = 0; t < all.size(); ++t) index_.push_back(static_cast<int64_t>(t));
    return;
  }
  for (const auto& w : wanted) {
    auto it = std::find(all.begin(), all.end(), w);
    int64_t t = -1;
    if (it != all.end()) {
      t = it - all.begin();
    } else {
      try {
        t = parse_int(w, "--task");
      } catch (const FormatError&) {
      }
    }
    if (t < 0 || t >= static_cast<int64_t>(all.size())) {
      std::string list;
      for (const auto& a : all) list += (list.empty() ? "" : ", ") + a;
      throw UsageError("--task '{}': the model's outputs are {} (or an index 0-{})", w, list, all.size() - 1);
    }
    names_.push_back(all[static_cast<size_t>(t)]);
    index_.push_back(t);
  }
}

}  // namespace seqdl::predict
