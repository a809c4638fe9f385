#include "interpret/target.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {

Target::Target(const nn::ModelInfo& info, const TargetSpec& spec)
    : per_position_(info.per_position), probability_(spec.probability), multiclass_(info.task_type == "multiclass") {
  const auto& names = info.task_names;
  if (!spec.target.empty()) {
    auto it = std::find(names.begin(), names.end(), spec.target);
    if (it != names.end()) {
      index_ = it - names.begin();
    } else {
      try {
        index_ = parse_int(spec.target, "--target");
      } catch (const FormatError&) {
        index_ = -1;
      }
      if (index_ < 0 || index_ >= static_cast<int64_t>(names.size())) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw UsageError("--target '{}': the model's outputs are {} (or an index 0-{})", spec.target, list, names.size() - 1);
      }
    }
  }
  description_ = fmt::format("{} of {}", probability_ ? "probability" : "logit", names[static_cast<size_t>(index_)]);
  if (!per_position_) {
    if (spec.position >= 0 || spec.window > 0) throw UsageError("--position and --span are for per-position models");
    return;
  }
  int64_t positions = info.output_positions;
  int64_t centre = spec.position >= 0 ? spec.position : positions / 2;
  count_ = std::max<int64_t>(1, spec.window);
  first_ = centre - count_ / 2;
  if (centre >= positions || first_ < 0 || first_ + count_ > positions) {
    throw UsageError("--position {} (span {}) is outside the model's {} output positions", centre, count_, positions);
  }
  description_ += count_ == 1 ? fmt::format(" at output position {}", first_)
                              : fmt::format(" summed over output positions {}-{}", first_, first_ + count_ - 1);
}

torch::Tensor Target::score(const torch::Tensor& outputs) const {
  torch::Tensor y = outputs;
  if (probability_) y = multiclass_ ? torch::softmax(y, 1) : torch::sigmoid(y);
  y = y.select(1, index_);  // [batch] or [batch, positions]
  if (per_position_) y = y.narrow(1, first_, count_).sum(1);
  return y;
}

}  // namespace seqdl::interpret
