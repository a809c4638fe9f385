#include "interpret/target.hpp"

#include <algorithm>

#include "infer/outputs.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {
namespace {

size_t resolve_head(const nn::ModelInfo& info, const std::string& wanted) {
  if (wanted.empty()) {
    if (info.profile && !info.profile->tracks()) return static_cast<size_t>(info.profile->counts_head);
    return 0;
  }
  for (size_t h = 0; h < info.heads.size(); ++h) {
    if (info.heads[h].name == wanted) return h;
  }
  int64_t index = -1;
  try {
    index = parse_int(wanted, "--head");
  } catch (const FormatError&) {
  }
  if (index < 0 || index >= static_cast<int64_t>(info.heads.size())) {
    throw UsageError("--head '{}': the model's heads are {}", wanted,
                     join(info.heads, ", ", [](const nn::OutputHead& h) { return h.name; }));
  }
  return static_cast<size_t>(index);
}

}  // namespace

Target::Target(const nn::ModelInfo& info, const TargetSpec& spec)
    : head_(resolve_head(info, spec.head)), probability_(spec.probability),
      activation_(nn::output_activation(info.task_type)) {
  const nn::OutputHead& head = info.heads.at(head_);
  per_position_ = head.per_position;
  const auto& names = info.task_names;
  if (!spec.target.empty()) index_ = nn::resolve_output(info, spec.target, "--target");
  if (index_ >= head.channels) throw UsageError("--target {}: the head {} has {} outputs", spec.target, head.name, head.channels);
  const std::string what = static_cast<size_t>(index_) < names.size() ? names[static_cast<size_t>(index_)] : std::to_string(index_);
  const std::string of_head = info.heads.size() > 1 ? fmt::format(" ({} head)", head.name) : "";
  description_ = fmt::format("{} of {}{}", probability_ ? "probability" : "logit", what, of_head);
  if (info.profile && probability_) throw UsageError("--probability does not apply to profile or track models");
  if (!per_position_) {
    if (spec.position >= 0 || spec.window > 0) throw UsageError("--position and --span are for per-position outputs");
    return;
  }
  if (info.profile && !info.profile->tracks() && spec.position < 0 && spec.window == 0) {
    weighted_ = true;  // ChromBPNet: sum over positions of (logit - mean logit) x softmax(logits), weights constant
    description_ = fmt::format("softmax-weighted profile logits of {}{}", what, of_head);
    return;
  }
  int64_t positions = head.positions;
  int64_t centre = spec.position >= 0 ? spec.position : positions / 2;
  count_ = std::max<int64_t>(1, spec.window);
  first_ = centre - count_ / 2;
  if (centre >= positions || first_ < 0 || first_ + count_ > positions) {
    throw UsageError("--position {} (span {}) is outside the model's {} output positions", centre, count_, positions);
  }
  description_ += count_ == 1 ? fmt::format(" at output position {}", first_)
                              : fmt::format(" summed over output positions {}-{}", first_, first_ + count_ - 1);
}

torch::Tensor Target::weights(const torch::Tensor& outputs) const {
  auto y = outputs.detach().select(1, index_);
  return torch::softmax(y, -1) - 1.0 / static_cast<double>(y.size(-1));
}

torch::Tensor Target::score(const torch::Tensor& outputs, const torch::Tensor& weights_from) const {
  torch::Tensor y = outputs;
  if (weighted_) return (y.select(1, index_) * weights(weights_from)).sum(-1);
  if (probability_) y = infer::probabilities(activation_, y);
  y = y.select(1, index_);  // [batch] or [batch, positions]
  if (per_position_) y = y.narrow(1, first_, count_).sum(1);
  return y;
}

torch::Tensor Target::seed(const torch::Tensor& outputs) const {
  auto s = torch::zeros_like(outputs);
  auto chosen = s.select(1, index_);
  if (weighted_) {
    chosen.copy_(weights(outputs));
  } else {
    (per_position_ ? chosen.narrow(1, first_, count_) : chosen).fill_(1.0);
  }
  return s;
}

}  // namespace seqdl::interpret
