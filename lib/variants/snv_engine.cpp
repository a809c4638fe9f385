#include "variants/torch/snv_engine.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

#include <fmt/format.h>

#include "infer/batches.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::variants {
namespace {

// value [n, C, L] on positions [a, a + w) of its last dimension, zero outside [0, L) (padding, as the layer that
// reads it sees it).
torch::Tensor padded_slice(const torch::Tensor& value, int64_t a, int64_t w) {
  const int64_t L = value.size(2);
  const int64_t lo = std::max<int64_t>(a, 0), hi = std::min(a + w, L);
  if (lo == a && hi == a + w) return value.narrow(2, a, w);
  auto out = torch::zeros({value.size(0), value.size(1), w}, value.options());
  if (lo < hi) out.narrow(2, lo - a, hi - lo).copy_(value.narrow(2, lo, hi - lo));
  return out;
}

// Zeroes the positions of `values` ([n, C, w], output positions first .. first + w) outside [0, length).
void zero_outside(torch::Tensor& values, int64_t first, int64_t length) {
  const int64_t w = values.size(2);
  const int64_t lo = std::clamp<int64_t>(-first, 0, w), hi = std::clamp<int64_t>(length - first, 0, w);
  if (lo >= hi) {
    values.zero_();
    return;
  }
  if (lo > 0) values.narrow(2, 0, lo).zero_();
  if (hi < w) values.narrow(2, hi, w - hi).zero_();
}

}  // namespace

std::string SnvEngine::why_not(nn::Model& model) {
  nn::NetworkImpl* net = model.network();
  if (net == nullptr) return "a TorchScript model does not show its layers";
  return nn::MutationReach(net->graph()).why_not();
}

SnvEngine::SnvEngine(nn::NetworkImpl& net, const encode::OneHotTable& table, int64_t mutation_index, double memory_budget)
    : net_(net), table_(table), reach_(net.graph()), index_(mutation_index), budget_(memory_budget) {
  if (!reach_.why_not().empty()) throw ModelError("local recomputation is not possible: {}", reach_.why_not());
  const nn::Graph& g = net.graph();
  reach_.starts(mutation_index, start_);
  is_frontier_.assign(g.nodes().size(), 0);
  for (int f : reach_.frontier()) is_frontier_[static_cast<size_t>(f)] = 1;
  needed_ = g.ancestors(reach_.frontier());
  for (const auto& o : g.outputs()) outputs_.push_back(o.node);
  can_share_ = plan_sharing();
}

std::string SnvEngine::description() const {
  return fmt::format("local recomputation of {} trunk layers, REF {}", needed_.size(),
                     can_share_ ? "shared between overlapping windows" : "window by window (" + why_not_shared_ + ")");
}

// Whether node `input`'s recomputed positions hold the whole slice of it that `node` recomputes from.
bool SnvEngine::covered(int node, int input) const {
  const int64_t a = reach_.slice_start(node, start_[static_cast<size_t>(node)]), w = reach_.slice_width(node);
  const int64_t first = start_[static_cast<size_t>(input)];
  return first <= a && a + w <= first + reach_.width(input);
}

SnvEngine::RefValues SnvEngine::allocate(int64_t n) const {
  const nn::Graph& g = net_.graph();
  RefValues r;
  r.slices.resize(g.nodes().size());
  r.frontier.resize(g.nodes().size());
  for (int node : needed_) {
    const nn::Node& nd = g.node(node);
    for (int m : nd.inputs) {
      // No REF values where the input's recomputed positions cover the slice (activations, batch norm).
      const bool needs_ref = m != nn::kNetworkInput && !covered(node, m);
      r.slices[static_cast<size_t>(node)].push_back(
          needs_ref ? torch::empty({n, g.shape_of(m).channels, reach_.slice_width(node)}) : torch::Tensor());
    }
    if (is_frontier_[static_cast<size_t>(node)]) r.frontier[static_cast<size_t>(node)] = torch::empty({n, nd.out.channels, nd.out.length});
  }
  return r;
}

int64_t SnvEngine::batch_limit() const {
  const nn::Graph& g = net_.graph();
  double floats = 0;
  for (int node : needed_) {
    const nn::Node& nd = g.node(node);
    for (int m : nd.inputs) {
      if (m != nn::kNetworkInput) floats += static_cast<double>(g.shape_of(m).channels * reach_.slice_width(node));
    }
    // A frontier value is held for REF, for ALT, and for both together through the rest of the network.
    if (is_frontier_[static_cast<size_t>(node)]) floats += 4.0 * static_cast<double>(nd.out.channels * nd.out.length);
  }
  return std::clamp<int64_t>(static_cast<int64_t>(budget_ / (4.0 * std::max(floats, 1.0))), 16, 4096);
}

// Windows per batch that keep a layer's input, output and a convolution's unfolded input within the budget.
int64_t SnvEngine::window_batch() const {
  const nn::Graph& g = net_.graph();
  double widest = 1;
  for (int node : needed_) {
    const nn::Node& n = g.node(node);
    double floats = static_cast<double>(n.out.channels * n.out.length);
    for (int m : n.inputs) floats += static_cast<double>(g.shape_of(m).channels * g.shape_of(m).length);
    if (n.type == "conv") floats += static_cast<double>(n.in.channels * n.params.kernel * n.out.length);
    widest = std::max(widest, floats);
  }
  return std::max<int64_t>(1, static_cast<int64_t>(budget_ / (4.0 * widest)));
}

// REF activations window by window: every needed trunk node on a batch of windows; the slices and frontier values
// the ALT pass reads are copied out, the rest dropped once read.
void SnvEngine::ref_by_windows(const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, RefValues& out) {
  const nn::Graph& g = net_.graph();
  const int64_t W = g.input_length(), batch = window_batch();
  std::vector<int> last_use(g.nodes().size(), -1);
  for (int n : needed_) {
    for (int m : g.node(n).inputs) {
      if (m != nn::kNetworkInput) last_use[static_cast<size_t>(m)] = n;
    }
  }
  std::string codes;
  for (size_t r0 = 0; r0 < rows.size(); r0 += static_cast<size_t>(batch)) {
    const size_t b = std::min(rows.size() - r0, static_cast<size_t>(batch));
    codes.clear();
    for (size_t i = 0; i < b; ++i) codes += sites[static_cast<size_t>(rows[r0 + i])].window;
    auto index = torch::from_blob(const_cast<int64_t*>(rows.data() + r0), {static_cast<int64_t>(b)}, torch::kInt64).clone();
    torch::Tensor x = infer::model_input(codes, static_cast<int64_t>(b), W, table_);
    std::vector<torch::Tensor> values(g.nodes().size()), in;
    for (int n : needed_) {
      const nn::Node& node = g.node(n);
      in.clear();
      for (int m : node.inputs) {
        if (m != nn::kNetworkInput) {
          in.push_back(values[static_cast<size_t>(m)]);
        } else {
          in.push_back(x.scalar_type() == torch::kUInt8 && node.type != "conv" ? nn::one_hot_from_indices(x) : x);
        }
      }
      torch::Tensor v = net_.run_node(n, in);
      keep_values(n, v, index, out);
      values[static_cast<size_t>(n)] = v;
      for (int m : node.inputs) {
        if (m != nn::kNetworkInput && last_use[static_cast<size_t>(m)] == n) values[static_cast<size_t>(m)] = torch::Tensor();
      }
    }
  }
  single_windows_ += rows.size();
}

// What the ALT pass reads of node `node`'s REF values `value` ([b, C, L], windows `rows` of the batch): its trunk
// consumers' slices and, for a frontier node, all of it.
void SnvEngine::keep_values(int node, const torch::Tensor& value, const torch::Tensor& rows, RefValues& out) const {
  const nn::Graph& g = net_.graph();
  for (int c : g.consumers()[static_cast<size_t>(node)]) {
    const auto& ins = g.node(c).inputs;
    auto& slots = out.slices[static_cast<size_t>(c)];
    for (size_t k = 0; k < ins.size() && k < slots.size(); ++k) {
      if (ins[k] != node || !slots[k].defined()) continue;
      slots[k].index_copy_(0, rows, padded_slice(value, reach_.slice_start(c, start_[static_cast<size_t>(c)]), reach_.slice_width(c)));
    }
  }
  if (is_frontier_[static_cast<size_t>(node)]) out.frontier[static_cast<size_t>(node)].index_copy_(0, rows, value);
}

// The network input as trunk node `node` reads it around the substitution: each site's REF bases with its ALT base
// at the mutation index, zero columns outside the window.
torch::Tensor SnvEngine::alt_input_slice(int node, const std::vector<SnvSite>& sites) {
  const int64_t W = net_.graph().input_length();
  const int64_t a = reach_.slice_start(node, start_[static_cast<size_t>(node)]), w = reach_.slice_width(node);
  const auto n = static_cast<int64_t>(sites.size());
  std::string codes(static_cast<size_t>(n * w), 'N');
  const int64_t lo = std::max<int64_t>(a, 0), hi = std::min(a + w, W);
  for (int64_t i = 0; i < n; ++i) {
    const SnvSite& s = sites[static_cast<size_t>(i)];
    char* row = codes.data() + i * w;
    if (lo < hi) std::copy_n(s.window.data() + lo, hi - lo, row + (lo - a));
    row[index_ - a] = s.alt;
  }
  torch::Tensor x = infer::model_input(codes, n, w, table_);
  if (x.scalar_type() == torch::kUInt8) {
    return net_.graph().node(node).type == "conv" ? x : nn::one_hot_from_indices(x);
  }
  if (lo > a) x.narrow(2, 0, lo - a).zero_();
  if (hi < a + w) x.narrow(2, hi - a, a + w - hi).zero_();
  return x;
}

// The ALT pass: every needed trunk node recomputed on its slice, the inputs' recomputed positions patched into
// their REF slices; the frontier's REF values with the recomputed positions written in.
std::vector<torch::Tensor> SnvEngine::alt_frontier(const std::vector<SnvSite>& sites, const RefValues& ref) {
  const nn::Graph& g = net_.graph();
  std::vector<torch::Tensor> alt(g.nodes().size()), in, frontier(g.nodes().size());
  for (int n : needed_) {
    const nn::Node& node = g.node(n);
    const int64_t a = reach_.slice_start(n, start_[static_cast<size_t>(n)]), w = reach_.slice_width(n);
    in.clear();
    for (size_t k = 0; k < node.inputs.size(); ++k) {
      const int m = node.inputs[k];
      if (m == nn::kNetworkInput) {
        in.push_back(alt_input_slice(n, sites));
        continue;
      }
      const int64_t ma = start_[static_cast<size_t>(m)], mw = reach_.width(m);
      if (!ref.slices[static_cast<size_t>(n)][k].defined()) {  // covered: ALT values only
        in.push_back(alt[static_cast<size_t>(m)].narrow(2, a - ma, w));
        continue;
      }
      torch::Tensor s = ref.slices[static_cast<size_t>(n)][k].clone();
      const int64_t lo = std::max(a, ma), hi = std::min(a + w, ma + mw);
      if (lo < hi) s.narrow(2, lo - a, hi - lo).copy_(alt[static_cast<size_t>(m)].narrow(2, lo - ma, hi - lo));
      in.push_back(s);
    }
    torch::Tensor v = net_.run_node_on_slices(n, in);
    zero_outside(v, start_[static_cast<size_t>(n)], node.out.length);
    alt[static_cast<size_t>(n)] = v;
    if (!is_frontier_[static_cast<size_t>(n)]) continue;
    torch::Tensor full = ref.frontier[static_cast<size_t>(n)].clone();
    const int64_t first = start_[static_cast<size_t>(n)], L = node.out.length;
    const int64_t lo = std::max<int64_t>(first, 0), hi = std::min(first + v.size(2), L);
    if (lo < hi) full.narrow(2, lo, hi - lo).copy_(v.narrow(2, lo - first, hi - lo));
    frontier[static_cast<size_t>(n)] = full;
  }
  return frontier;
}

// The network's heads from frontier values ([n, ...] per frontier node), in batches.
std::vector<torch::Tensor> SnvEngine::heads(const std::vector<torch::Tensor>& frontier) {
  const nn::Graph& g = net_.graph();
  int64_t n = 0;
  for (int f : reach_.frontier()) n = frontier[static_cast<size_t>(f)].size(0);
  const int64_t batch = std::max<int64_t>(256, window_batch());
  std::vector<std::vector<torch::Tensor>> parts(outputs_.size());
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t b = std::min(batch, n - r0);
    nn::Activations head{{}, std::vector<torch::Tensor>(g.nodes().size())};
    for (int f : reach_.frontier()) head.nodes[static_cast<size_t>(f)] = frontier[static_cast<size_t>(f)].narrow(0, r0, b);
    net_.compute(head, outputs_);
    for (size_t h = 0; h < outputs_.size(); ++h) parts[h].push_back(head.nodes[static_cast<size_t>(outputs_[h])]);
  }
  std::vector<torch::Tensor> out;
  for (auto& p : parts) out.push_back(p.size() == 1 ? p[0] : torch::cat(p, 0));
  return out;
}

SnvHeads SnvEngine::run(const std::vector<SnvSite>& sites) {
  torch::InferenceMode guard;
  SnvHeads result;
  const auto n = static_cast<int64_t>(sites.size());
  if (n == 0) return result;
  RefValues ref = allocate(n);
  std::vector<int64_t> singles;
  if (can_share_) {
    ref_shared_groups(sites, ref, singles);
  } else {
    singles.resize(sites.size());
    std::iota(singles.begin(), singles.end(), 0);
  }
  if (!singles.empty()) ref_by_windows(sites, singles, ref);
  std::vector<torch::Tensor> alt = alt_frontier(sites, ref);
  // REF and ALT through the rest of the network together.
  std::vector<torch::Tensor> both(ref.frontier.size());
  for (int f : reach_.frontier()) {
    both[static_cast<size_t>(f)] = torch::cat({ref.frontier[static_cast<size_t>(f)], alt[static_cast<size_t>(f)]}, 0);
  }
  ref = {};
  for (auto& h : heads(both)) {
    result.ref.push_back(h.narrow(0, 0, n));
    result.alt.push_back(h.narrow(0, n, n));
  }
  // An ALT equal to its REF (VCFs carry them) scores exactly zero, as two identical whole windows do: the local
  // recomputation would differ from a shared REF pass by rounding (~1e-8) and could move an argmax position.
  for (int64_t i = 0; i < n; ++i) {
    const auto& site = sites[static_cast<size_t>(i)];
    if (std::toupper(static_cast<unsigned char>(site.window[static_cast<size_t>(index_)])) !=
        std::toupper(static_cast<unsigned char>(site.alt))) {
      continue;
    }
    for (size_t h = 0; h < result.ref.size(); ++h) result.alt[h][i].copy_(result.ref[h][i]);
  }
  return result;
}

}  // namespace seqdl::variants
