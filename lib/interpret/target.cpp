#include "interpret/target.hpp"

#include <algorithm>

#include "infer/outputs.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {

Target::Target(const nn::ModelInfo& info, const TargetSpec& spec)
    : per_position_(info.per_position()), probability_(spec.probability),
      activation_(nn::output_activation(info.task_type)) {
  const auto& names = info.task_names;
  if (!spec.target.empty()) index_ = nn::resolve_output(info, spec.target, "--target");
  description_ = fmt::format("{} of {}", probability_ ? "probability" : "logit", names[static_cast<size_t>(index_)]);
  if (!per_position_) {
    if (spec.position >= 0 || spec.window > 0) throw UsageError("--position and --span are for per-position models");
    return;
  }
  int64_t positions = info.output_positions();
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
  if (probability_) y = infer::probabilities(activation_, y);
  y = y.select(1, index_);  // [batch] or [batch, positions]
  if (per_position_) y = y.narrow(1, first_, count_).sum(1);
  return y;
}

torch::Tensor Target::seed(const torch::Tensor& outputs) const {
  auto s = torch::zeros_like(outputs);
  auto chosen = s.select(1, index_);
  (per_position_ ? chosen.narrow(1, first_, count_) : chosen).fill_(1.0);
  return s;
}

}  // namespace seqdl::interpret
