#include "infer/window_runner.hpp"

#include "encode/bases.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "infer/sliding_max.hpp"
#include "nn/fast_paths.hpp"
#include "util/error.hpp"

namespace seqdl::infer {
namespace {

constexpr double kActivationBudget = 64.0 * (1 << 20);  // bytes of trunk activations per chunk

}  // namespace

WindowRunner::WindowRunner(nn::Model& model, const WindowGeometry& geometry, Strands strands, bool logits,
                           int64_t batch, const encode::OneHotTable& table, bool allow_shared)
    : model_(model), g_(geometry), strands_(strands), logits_(logits), batch_(batch), table_(table) {
  description_ = "window by window";
  if (strands != Strands::none && model.info().per_position() && (g_.window - g_.bin) % 2 != 0) {
    throw UsageError("--rc needs a per-position model whose output is centred in its input");
  }
  nn::NetworkImpl* net = model.network();
  if (!allow_shared) return;
  if (net == nullptr) {
    description_ += " (a TorchScript model: its layers are not visible to share work)";
    return;
  }
  std::string why = plan_trunk(net->graph());
  if (!why.empty()) description_ += " (" + why + ")";
}

// Chooses whole-chunk or shared-trunk mode when they are exact for this geometry (nn/fast_paths.hpp); otherwise
// returns why not.
std::string WindowRunner::plan_trunk(const nn::Graph& graph) {
  nn::SharedTrunk plan = nn::shared_trunk(graph);
  if (!plan.why_not.empty()) return plan.why_not;
  for (const auto& o : graph.outputs()) outputs_.push_back(o.node);
  // Floats per chunk base that the trunk holds at its peak (a layer's input and output, and the values that wait
  // for a residual addition), to size chunks.
  double widest = 0, waiting = 0;
  for (int i : graph.trunk()) {
    const nn::Node& n = graph.node(i);
    const auto stride = static_cast<double>(n.field.stride);
    widest = std::max(widest, static_cast<double>(n.in.channels + n.out.channels) / stride);
    if (graph.consumers()[static_cast<size_t>(i)].size() > 1) waiting += static_cast<double>(n.out.channels) / stride;
  }
  auto span = static_cast<int64_t>(kActivationBudget / (4.0 * std::max(2 * widest + waiting, 1.0)));
  max_windows_ = std::max<int64_t>(1, (span - g_.window) / g_.step + 1);
  if (plan.whole) {
    if (!model_.info().per_position()) return "a per-window model";
    for (int o : outputs_) {
      if (graph.node(o).out.length != g_.bin) return "per-position heads of different lengths";
    }
    if (g_.step != g_.bin) return "windows that do not tile the sequence";
    mode_ = Mode::whole;
    description_ = "whole chunks through the fully convolutional network";
    return "";
  }
  if (g_.step >= g_.window) return "the windows do not overlap: there is nothing to share";
  if (g_.step % plan.factor != 0) {
    return fmt::format("stride {} is not a multiple of the trunk's pooling factor {}", g_.step, plan.factor);
  }
  frontier_ = plan.frontier;
  pooled_ = plan.pooled;
  mode_ = Mode::trunk;
  bool pools = std::any_of(pooled_.begin(), pooled_.end(), [](int p) { return p >= 0; });
  description_ = fmt::format("shared trunk: {} of {} layers run once per chunk (pooling factor {}), {}",
                             graph.trunk().size(), graph.nodes().size(), plan.factor,
                             pools ? "then a sliding global pool" : "then each window's slice");
  return "";
}

std::vector<torch::Tensor> WindowRunner::run_heads(const std::string& codes, int64_t windows) {
  torch::InferenceMode guard;
  auto forward = one_strand(codes, windows);
  if (strands_ == Strands::none) return forward;
  auto reverse = one_strand(encode::reverse_complement(codes), windows);
  for (size_t h = 0; h < forward.size(); ++h) {
    auto r = reverse[h].flip({0});       // window i <-> n - 1 - i
    if (r.dim() == 3) r = r.flip({2});  // and positions within it
    forward[h] = strands_ == Strands::mean ? (forward[h] + r) / 2 : torch::maximum(forward[h], r);
  }
  return forward;
}

std::vector<torch::Tensor> WindowRunner::one_strand(const std::string& codes, int64_t windows) {
  std::vector<torch::Tensor> out;
  switch (mode_) {
    case Mode::windows: out = by_windows(codes, windows); break;
    case Mode::trunk: out = by_trunk(codes, windows); break;
    case Mode::whole: out = whole(codes, windows); break;
  }
  if (!logits_) out[0] = probabilities(model_.info(), out[0]);
  return out;
}

std::vector<torch::Tensor> WindowRunner::by_windows(const std::string& codes, int64_t windows) {
  std::vector<std::vector<torch::Tensor>> parts;
  std::string buffer;
  for (int64_t w0 = 0; w0 < windows; w0 += batch_) {
    int64_t b = std::min(batch_, windows - w0);
    buffer.clear();
    for (int64_t i = 0; i < b; ++i) buffer.append(codes, static_cast<size_t>((w0 + i) * g_.step), static_cast<size_t>(g_.window));
    auto heads = run_model_heads(model_, model_input(buffer, b, g_.window, table_));
    if (parts.empty()) parts.resize(heads.size());
    for (size_t h = 0; h < heads.size(); ++h) parts[h].push_back(heads[h].to(torch::kFloat32));
  }
  std::vector<torch::Tensor> out;
  for (auto& p : parts) out.push_back(torch::cat(p, 0));
  return out;
}

// The trunk over the whole chunk, then the rest of the network on batches of windows: at least --batch rows, more
// when rows are narrow, but no more than keeps a batch's activations in cache (DeepBind's rows are 16 floats: a
// million rows at once run 3x slower).
std::vector<torch::Tensor> WindowRunner::by_trunk(const std::string& codes, int64_t windows) {
  nn::NetworkImpl& net = *model_.network();
  const nn::Graph& graph = net.graph();
  nn::Activations chunk{model_input(codes, 1, static_cast<int64_t>(codes.size()), table_), {}};
  net.compute(chunk, frontier_);
  std::vector<torch::Tensor> rows(frontier_.size());  // per frontier node: [windows, C] pooled or [windows, C, L]
  int64_t per_row = 0;
  for (size_t k = 0; k < frontier_.size(); ++k) {
    const nn::Node& f = graph.node(frontier_[k]);
    const int64_t step = g_.step / f.field.stride, length = f.out.length;
    const torch::Tensor& value = chunk.nodes[static_cast<size_t>(frontier_[k])];  // [1, C, chunk positions]
    if (pooled_[k] >= 0) {
      bool max = graph.node(pooled_[k]).type == "global_maxpool";
      auto pooled = max ? sliding_max(value, length, step) : torch::avg_pool1d(value, length, step);
      rows[k] = pooled[0].narrow(1, 0, windows).t();
    } else {
      rows[k] = value[0].unfold(1, length, step).narrow(1, 0, windows).permute({1, 0, 2});
    }
    per_row += rows[k][0].numel();
  }
  chunk = {};
  const int64_t rows_per_batch = std::max<int64_t>(batch_, (int64_t{1} << 18) / std::max<int64_t>(1, per_row));
  std::vector<std::vector<torch::Tensor>> parts(outputs_.size());
  for (int64_t r0 = 0; r0 < windows; r0 += rows_per_batch) {
    const int64_t b = std::min(rows_per_batch, windows - r0);
    nn::Activations head{{}, std::vector<torch::Tensor>(graph.nodes().size())};
    for (size_t k = 0; k < frontier_.size(); ++k) {
      int slot = pooled_[k] >= 0 ? pooled_[k] : frontier_[k];
      head.nodes[static_cast<size_t>(slot)] = rows[k].narrow(0, r0, b).contiguous();
    }
    net.compute(head, outputs_);
    for (size_t h = 0; h < outputs_.size(); ++h) parts[h].push_back(head.nodes[static_cast<size_t>(outputs_[h])]);
  }
  std::vector<torch::Tensor> out;
  for (auto& p : parts) out.push_back(torch::cat(p, 0));
  return out;
}

std::vector<torch::Tensor> WindowRunner::whole(const std::string& codes, int64_t windows) {
  nn::NetworkImpl& net = *model_.network();
  nn::Activations chunk{model_input(codes, 1, static_cast<int64_t>(codes.size()), table_), {}};
  net.compute(chunk, outputs_);
  std::vector<torch::Tensor> out;
  for (int o : outputs_) {
    auto y = chunk.nodes[static_cast<size_t>(o)][0];  // [channels, windows * bin + ...]
    out.push_back(y.narrow(1, 0, windows * g_.bin).reshape({y.size(0), windows, g_.bin}).permute({1, 0, 2}));
  }
  return out;
}

}  // namespace seqdl::infer
