#include "infer/window_runner.hpp"

#include "encode/bases.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "infer/sliding_max.hpp"
#include "util/error.hpp"

namespace seqdl::infer {
namespace {

constexpr double kActivationBudget = 64.0 * (1 << 20);  // bytes of trunk activations per chunk

}  // namespace

WindowRunner::WindowRunner(nn::Model& model, const WindowGeometry& geometry, Strands strands, bool logits,
                           int64_t batch, const encode::OneHotTable& table, bool allow_shared)
    : model_(model), g_(geometry), strands_(strands), logits_(logits), batch_(batch), table_(table) {
  const auto& info = model.info();
  description_ = "window by window";
  nn::NetworkImpl* net = model.network();
  if (strands != Strands::none && info.per_position() && (g_.window - g_.bin) % 2 != 0) {
    throw UsageError("--rc needs a per-position model whose output is centred in its input");
  }
  if (!allow_shared || net == nullptr) {
    if (net == nullptr) description_ += " (a TorchScript model: its layers are not visible to share work)";
    return;
  }
  const auto& layers = net->layers();
  size_t t = net->trunk_size();
  int64_t factor = 1;
  double floats_per_base = 0;  // the largest layer input + output, in floats per chunk base
  for (size_t i = 0; i < t; ++i) {
    if (layers[i].pad != 0) {
      t = i;  // a padded convolution sees window edges differently from a chunk: share only what comes before
      break;
    }
    double in = static_cast<double>(layers[i].in.channels) / static_cast<double>(factor);
    factor *= layers[i].stride;
    double out = static_cast<double>(layers[i].out.channels) / static_cast<double>(factor);
    floats_per_base = std::max(floats_per_base, in + out);
  }
  if (t == 0) {
    description_ += " (the first layer is padded or not local: nothing to share)";
    return;
  }
  auto span_windows = [&](double per_base) {
    auto span = static_cast<int64_t>(kActivationBudget / (4.0 * std::max(per_base, 1.0)));
    return std::max<int64_t>(1, (span - g_.window) / g_.step + 1);
  };
  if (info.per_position()) {
    if (t == layers.size() && factor == 1 && g_.step == g_.bin) {
      mode_ = Mode::whole;
      trunk_ = t;
      max_windows_ = span_windows(8 * floats_per_base);  // blocks such as SpliceAI's tower hold several tensors
      description_ = "whole chunks through the fully convolutional network";
    } else {
      description_ += " (per-position model that is not convolutional end to end)";
    }
    return;
  }
  if (g_.step >= g_.window) {
    description_ += " (the windows do not overlap: there is nothing to share)";
    return;
  }
  if (g_.step % factor != 0) {
    description_ += fmt::format(" (stride {} is not a multiple of the trunk's pooling factor {})", g_.step, factor);
    return;
  }
  trunk_ = t;
  factor_ = factor;
  trunk_length_ = layers[t - 1].out.length;
  max_windows_ = span_windows(floats_per_base);
  const std::string& next = t < layers.size() ? layers[t].type : "";
  mode_ = next == "global_maxpool" || next == "global_avgpool" ? Mode::trunk_pool : Mode::trunk_cut;
  description_ = fmt::format("shared trunk: {} layers run once per chunk (pooling factor {}), {}", t, factor,
                             mode_ == Mode::trunk_pool ? "then a sliding global pool" : "then each window's slice");
}

torch::Tensor WindowRunner::run(const std::string& codes, int64_t windows) {
  torch::InferenceMode guard;
  auto forward = one_strand(codes, windows);
  if (strands_ == Strands::none) return forward;
  auto reverse = one_strand(encode::reverse_complement(codes), windows).flip({0});  // window i <-> n - 1 - i
  if (reverse.dim() == 3) reverse = reverse.flip({2});                           // and positions within it
  return strands_ == Strands::mean ? (forward + reverse) / 2 : torch::maximum(forward, reverse);
}

torch::Tensor WindowRunner::one_strand(const std::string& codes, int64_t windows) {
  torch::Tensor out;
  switch (mode_) {
    case Mode::windows: out = by_windows(codes, windows); break;
    case Mode::trunk_pool:
    case Mode::trunk_cut: out = by_trunk(codes, windows); break;
    case Mode::whole: out = whole(codes, windows); break;
  }
  return logits_ ? out : probabilities(model_.info(), out);
}

torch::Tensor WindowRunner::by_windows(const std::string& codes, int64_t windows) {
  std::vector<torch::Tensor> parts;
  std::string buffer;
  for (int64_t w0 = 0; w0 < windows; w0 += batch_) {
    int64_t b = std::min(batch_, windows - w0);
    buffer.clear();
    for (int64_t i = 0; i < b; ++i) buffer.append(codes, static_cast<size_t>((w0 + i) * g_.step), static_cast<size_t>(g_.window));
    parts.push_back(run_model(model_, model_input(buffer, b, g_.window, table_)).to(torch::kFloat32));
  }
  return torch::cat(parts, 0);
}

// Layers after the trunk, on batches of window rows: at least --batch rows, more when rows are narrow, but no more
// than keeps a batch's activations in cache (DeepBind's rows are 16 floats: a million rows at once run 3x slower).
torch::Tensor WindowRunner::head(const torch::Tensor& rows, size_t from) {
  nn::NetworkImpl& net = *model_.network();
  int64_t per_row = std::max<int64_t>(1, rows[0].numel());
  int64_t rows_per_batch = std::max<int64_t>(batch_, (int64_t{1} << 18) / per_row);
  std::vector<torch::Tensor> parts;
  for (int64_t r0 = 0; r0 < rows.size(0); r0 += rows_per_batch) {
    auto part = rows.narrow(0, r0, std::min(rows_per_batch, rows.size(0) - r0)).contiguous();
    parts.push_back(net.forward_range(part, from, net.layers().size()));
  }
  return torch::cat(parts, 0);
}

torch::Tensor WindowRunner::by_trunk(const std::string& codes, int64_t windows) {
  nn::NetworkImpl& net = *model_.network();
  auto input = model_input(codes, 1, static_cast<int64_t>(codes.size()), table_);
  auto features = net.forward_prefix(input, trunk_);  // [1, C, L'] over the whole chunk
  const int64_t step = g_.step / factor_;
  if (mode_ == Mode::trunk_pool) {
    bool max = net.layers()[trunk_].type == "global_maxpool";
    auto pooled = max ? sliding_max(features, trunk_length_, step) : torch::avg_pool1d(features, trunk_length_, step);
    auto rows = pooled[0].narrow(1, 0, windows).t();  // [windows, C]
    return head(rows, trunk_ + 1);
  }
  auto cut = features[0].unfold(1, trunk_length_, step).narrow(1, 0, windows);  // [C, windows, L]
  return head(cut.permute({1, 0, 2}), trunk_);
}

torch::Tensor WindowRunner::whole(const std::string& codes, int64_t windows) {
  nn::NetworkImpl& net = *model_.network();
  auto input = model_input(codes, 1, static_cast<int64_t>(codes.size()), table_);
  auto out = net.forward_prefix(input, trunk_)[0];  // [tasks, windows * bin]
  return out.narrow(1, 0, windows * g_.bin).reshape({out.size(0), windows, g_.bin}).permute({1, 0, 2});
}

}  // namespace seqdl::infer
