// SnvEngine's shared REF pass: windows that overlap on a contig run their trunk once over the span they cover.
//
// A trunk node whose outputs are s input bases apart (its field stride) gives, for a window starting at base r of
// the span, the values of the node run over the span from base r mod s on, from index r div s on. So each node
// runs once per distinct r mod s among the windows, on its inputs' runs for the matching offsets:
//   run(node, q) = node(run(input, q mod s_in) from index q div s_in - pad)
// which is exact when no layer up to the frontier pads (every value is one the window itself computes).
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "infer/batches.hpp"
#include "nn/one_hot_conv.hpp"
#include "variants/torch/snv_engine.hpp"

namespace seqdl::variants {
namespace {

// Fixed cost of one layer call and one per-window copy, in multiply-adds (small calls are dominated by overhead).
constexpr double kCallCost = 2e5;
constexpr double kCopyCost = 2e4;
// A window overlapping fewer than this many others is left to the window-by-window pass.
constexpr size_t kMinShared = 3;

int64_t sigma_of(const nn::Graph& g, int value) { return value == nn::kNetworkInput ? 1 : g.node(value).field.stride; }

}  // namespace

bool SnvEngine::plan_sharing() {
  const nn::Graph& g = net_.graph();
  macs_.assign(g.nodes().size(), 0.0);
  double bytes_per_base = 0, widest = 0;
  for (int n : needed_) {
    const nn::Node& node = g.node(n);
    if (!node.fully_valid() || node.reads.pad > 0) {
      why_not_shared_ = fmt::format("layer {} sees the window's edges", node.name);
      return false;
    }
    for (int m : node.inputs) {
      if (sigma_of(g, m) * node.reads.stride != node.field.stride) {
        why_not_shared_ = fmt::format("layer {} reads inputs at different resolutions", node.name);
        return false;
      }
    }
    const auto channels = static_cast<double>(node.out.channels);
    macs_[static_cast<size_t>(n)] = node.type == "conv"
                                        ? static_cast<double>(node.in.channels * node.params.kernel) * channels
                                        : channels * static_cast<double>(node.reads.span);
    widest = std::max(widest, channels);
    if (node.type == "conv") {
      bytes_per_base = std::max(bytes_per_base, static_cast<double>(node.in.channels * node.params.kernel) /
                                                    static_cast<double>(sigma_of(g, node.inputs[0])));
    }
  }
  // Each node's runs over all offsets hold at most one value per base and channel; a layer's input, its output and
  // a convolution's unfolded input are alive at once.
  bytes_per_base = 4.0 * (3.0 * widest + bytes_per_base);
  max_span_ = std::max<int64_t>(2 * g.input_length(), static_cast<int64_t>(budget_ / bytes_per_base));
  return true;
}

double SnvEngine::window_cost() const {
  const nn::Graph& g = net_.graph();
  double macs = 0;
  for (int n : needed_) macs += macs_[static_cast<size_t>(n)] * static_cast<double>(g.node(n).out.length);
  return macs + kCallCost * static_cast<double>(needed_.size()) / 32.0;  // calls shared by a batch of windows
}

double SnvEngine::shared_cost(const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows) const {
  const nn::Graph& g = net_.graph();
  const int64_t origin = sites[static_cast<size_t>(rows.front())].start;
  const auto span = static_cast<double>(sites[static_cast<size_t>(rows.back())].start - origin + g.input_length());
  double macs = 0;
  std::set<int64_t> phases;
  for (int n : needed_) {
    const int64_t s = g.node(n).field.stride;
    phases.clear();
    for (int64_t r : rows) phases.insert((sites[static_cast<size_t>(r)].start - origin) % s);
    const auto runs = static_cast<double>(phases.size());
    macs += macs_[static_cast<size_t>(n)] * span / static_cast<double>(s) * runs + kCallCost * runs;
  }
  return macs + kCopyCost * static_cast<double>(rows.size() * needed_.size());
}

void SnvEngine::ref_shared_groups(const std::vector<SnvSite>& sites, RefValues& out, std::vector<int64_t>& singles) {
  const int64_t W = net_.graph().input_length();
  std::vector<int64_t> order(sites.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    const SnvSite &x = sites[static_cast<size_t>(a)], &y = sites[static_cast<size_t>(b)];
    return x.contig != y.contig ? x.contig < y.contig : x.start < y.start;
  });
  const double per_window = window_cost();
  std::vector<int64_t> group;
  for (size_t i = 0; i < order.size();) {
    group.assign(1, order[i]);
    size_t j = i + 1;
    for (; j < order.size(); ++j) {
      const SnvSite &prev = sites[static_cast<size_t>(order[j - 1])], &next = sites[static_cast<size_t>(order[j])];
      const SnvSite& first = sites[static_cast<size_t>(order[i])];
      if (next.contig != prev.contig || next.start >= prev.start + W || next.start + W - first.start > max_span_) break;
      group.push_back(order[j]);
    }
    i = j;
    if (group.size() >= kMinShared && shared_cost(sites, group) < per_window * static_cast<double>(group.size())) {
      ref_shared(sites, group, out);
    } else {
      singles.insert(singles.end(), group.begin(), group.end());
    }
  }
}

// Index intervals [lo, hi) of one run of a node, sorted and merged.
using Intervals = std::vector<std::pair<int64_t, int64_t>>;

namespace {

// Sorts and merges intervals, also across gaps too small to be worth a call of their own.
void merge(Intervals& v) {
  constexpr int64_t kGap = 16;
  std::sort(v.begin(), v.end());
  size_t out = 0;
  for (const auto& iv : v) {
    if (out > 0 && iv.first <= v[out - 1].second + kGap) {
      v[out - 1].second = std::max(v[out - 1].second, iv.second);
    } else {
      v[out++] = iv;
    }
  }
  v.resize(out);
}

}  // namespace

// One group of overlapping windows (sorted by start, one contig): the span they cover, assembled from the windows
// themselves, through the trunk once per offset each node needs, and there only on the positions some window
// reads (worked out from the frontier back).
void SnvEngine::ref_shared(const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, RefValues& out) {
  const nn::Graph& g = net_.graph();
  const int64_t W = g.input_length();
  const int64_t origin = sites[static_cast<size_t>(rows.front())].start;
  const int64_t span = sites[static_cast<size_t>(rows.back())].start - origin + W;
  std::string codes(static_cast<size_t>(span), 'N');
  for (int64_t r : rows) {
    const SnvSite& s = sites[static_cast<size_t>(r)];
    std::copy_n(s.window.data(), W, codes.data() + (s.start - origin));
  }
  const torch::Tensor x = infer::model_input(codes, 1, span, table_);
  std::vector<std::map<int64_t, Intervals>> needs = needed_intervals(sites, rows, origin);
  std::vector<int> last_use(g.nodes().size(), -1);
  for (int n : needed_) {
    for (int m : g.node(n).inputs) {
      if (m != nn::kNetworkInput) last_use[static_cast<size_t>(m)] = n;
    }
  }
  std::vector<std::map<int64_t, torch::Tensor>> runs(g.nodes().size());
  std::vector<torch::Tensor> in;
  for (int n : needed_) {
    const nn::Node& node = g.node(n);
    const nn::Reads& r = node.reads;
    std::vector<std::pair<int64_t, torch::Tensor>> done;
    for (const auto& [q, intervals] : needs[static_cast<size_t>(n)]) {
      torch::Tensor run;
      for (const auto& [lo, hi] : intervals) {
        in.clear();
        for (int m : node.inputs) {
          const int64_t sm = sigma_of(g, m);
          const torch::Tensor& from = m == nn::kNetworkInput ? x : runs[static_cast<size_t>(m)].at(q % sm);
          const int64_t first = q / sm - r.pad + lo * r.stride, length = (hi - lo - 1) * r.stride + r.span;
          if (first < 0 || first + length > from.size(-1)) throw std::logic_error("seqdl: shared SNV pass out of range");
          torch::Tensor t = from.narrow(-1, first, length);
          in.push_back(t.scalar_type() == torch::kUInt8 && node.type != "conv" ? nn::one_hot_from_indices(t) : t);
        }
        torch::Tensor v = net_.run_node_on_slices(n, in);
        if (intervals.size() == 1 && lo == 0) {
          run = v;
          break;
        }
        if (!run.defined()) run = torch::empty({1, v.size(1), intervals.back().second});
        run.narrow(2, lo, hi - lo).copy_(v);
      }
      done.emplace_back(q, std::move(run));
    }
    copy_out(n, sites, rows, origin, done, out);
    for (auto& [q, t] : done) runs[static_cast<size_t>(n)].emplace(q, std::move(t));
    for (int m : node.inputs) {
      if (m != nn::kNetworkInput && last_use[static_cast<size_t>(m)] == n) runs[static_cast<size_t>(m)].clear();
    }
  }
  shared_windows_ += rows.size();
}

// Per node and offset, the output indices some window needs: the frontier's whole values and the slices the ALT
// pass reads, and, from the frontier back, whatever the nodes computing those read.
std::vector<std::map<int64_t, Intervals>> SnvEngine::needed_intervals(const std::vector<SnvSite>& sites,
                                                                       const std::vector<int64_t>& rows,
                                                                       int64_t origin) const {
  const nn::Graph& g = net_.graph();
  std::vector<std::map<int64_t, Intervals>> needs(g.nodes().size());
  for (int n : needed_) {
    const nn::Node& node = g.node(n);
    const int64_t s = node.field.stride, L = node.out.length;
    std::vector<std::pair<int64_t, int64_t>> reads;  // window-relative ranges
    if (is_frontier_[static_cast<size_t>(n)]) reads.emplace_back(0, L);
    for (int c : g.consumers()[static_cast<size_t>(n)]) {
      if (!std::binary_search(needed_.begin(), needed_.end(), c) || covered(c, n)) continue;
      const int64_t a = reach_.slice_start(c, start_[static_cast<size_t>(c)]), w = reach_.slice_width(c);
      if (std::max<int64_t>(a, 0) < std::min(a + w, L)) reads.emplace_back(std::max<int64_t>(a, 0), std::min(a + w, L));
    }
    for (int64_t row : rows) {
      const int64_t rel = sites[static_cast<size_t>(row)].start - origin;
      for (const auto& [lo, hi] : reads) needs[static_cast<size_t>(n)][rel % s].emplace_back(rel / s + lo, rel / s + hi);
    }
  }
  for (auto it = needed_.rbegin(); it != needed_.rend(); ++it) {
    const nn::Node& node = g.node(*it);
    const nn::Reads& r = node.reads;
    for (auto& [q, intervals] : needs[static_cast<size_t>(*it)]) {
      merge(intervals);
      for (int m : node.inputs) {
        if (m == nn::kNetworkInput) continue;
        const int64_t sm = sigma_of(g, m), offset = q / sm - r.pad;
        Intervals& to = needs[static_cast<size_t>(m)][q % sm];
        for (const auto& [lo, hi] : intervals) to.emplace_back(offset + lo * r.stride, offset + (hi - 1) * r.stride + r.span);
      }
    }
  }
  return needs;
}

// Each window's values of `node`, from the run at its offset: the slices its trunk consumers recompute from (zero
// outside the node's length, as padding) and, for a frontier node, the whole value.
void SnvEngine::copy_out(int node, const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, int64_t origin,
                         const std::vector<std::pair<int64_t, torch::Tensor>>& phases, RefValues& out) {
  const nn::Graph& g = net_.graph();
  const nn::Node& nd = g.node(node);
  const int64_t s = nd.field.stride, L = nd.out.length;
  struct Reader {
    torch::Tensor* dest;
    int64_t a, w;
  };
  std::vector<Reader> readers;
  for (int c : g.consumers()[static_cast<size_t>(node)]) {
    auto& slots = out.slices[static_cast<size_t>(c)];
    const auto& ins = g.node(c).inputs;
    for (size_t k = 0; k < ins.size() && k < slots.size(); ++k) {
      if (ins[k] == node && slots[k].defined()) {
        readers.push_back({&slots[k], reach_.slice_start(c, start_[static_cast<size_t>(c)]), reach_.slice_width(c)});
      }
    }
  }
  if (is_frontier_[static_cast<size_t>(node)]) readers.push_back({&out.frontier[static_cast<size_t>(node)], 0, L});
  for (const auto& [q, run] : phases) {
    std::vector<int64_t> at, first;  // the windows at this offset: their rows and first indices in the run
    for (int64_t r : rows) {
      const int64_t rel = sites[static_cast<size_t>(r)].start - origin;
      if (rel % s != q) continue;
      at.push_back(r);
      first.push_back(rel / s);
    }
    if (at.empty()) continue;
    const auto n = static_cast<int64_t>(at.size());
    const torch::Tensor rows_t = torch::tensor(at, torch::kInt64), first_t = torch::tensor(first, torch::kInt64);
    for (const Reader& rd : readers) {
      const int64_t lo = std::max<int64_t>(rd.a, 0), hi = std::min(rd.a + rd.w, L);
      if (lo == rd.a && hi == rd.a + rd.w) {  // inside the node's values: one gather for all these windows
        const torch::Tensor where = (first_t.unsqueeze(1) + (rd.a + torch::arange(rd.w, torch::kInt64))).flatten();
        torch::Tensor slices = run[0].index_select(1, where).view({run.size(1), n, rd.w});
        rd.dest->index_copy_(0, rows_t, slices.permute({1, 0, 2}));
        continue;
      }
      for (int64_t i = 0; i < n; ++i) {  // partly padding
        torch::Tensor dest = rd.dest->select(0, at[static_cast<size_t>(i)]);
        dest.zero_();
        if (lo < hi) dest.narrow(1, lo - rd.a, hi - lo).copy_(run[0].narrow(1, first[static_cast<size_t>(i)] + lo, hi - lo));
      }
    }
  }
}

}  // namespace seqdl::variants
