#include "nn/mutation_reach.hpp"

#include <algorithm>
#include <set>

namespace seqdl::nn {
namespace {

int64_t floor_div(int64_t x, int64_t d) { return x >= 0 ? x / d : -((-x + d - 1) / d); }
int64_t ceil_div(int64_t x, int64_t d) { return -floor_div(-x, d); }

}  // namespace

MutationReach::MutationReach(const Graph& graph) : graph_(graph) {
  trunk_ = graph.trunk();
  if (trunk_.empty()) {
    why_not_ = "its first layer is not a local layer";
    return;
  }
  std::set<int> in_trunk(trunk_.begin(), trunk_.end());
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    if (in_trunk.count(static_cast<int>(i)) != 0) continue;
    const auto& inputs = graph.nodes()[i].inputs;
    if (std::find(inputs.begin(), inputs.end(), kNetworkInput) != inputs.end()) {
      why_not_ = "layer " + graph.nodes()[i].name + " outside the local trunk reads the input";
      return;
    }
  }
  frontier_ = graph.trunk_frontier();
  const size_t slots = graph.nodes().size() + 1;
  width_.assign(slots, 0);
  pad_left_.assign(slots, 0);
  pad_right_.assign(slots, 0);
  width_[0] = 1;
  const int64_t length = graph.input_length();
  std::vector<int64_t> lo, hi;
  for (int64_t p = 0; p < length; ++p) {
    reach(p, lo, hi);
    for (int n : trunk_) width_[slot(n)] = std::max(width_[slot(n)], hi[slot(n)] - lo[slot(n)]);
  }
  for (int n : trunk_) width_[slot(n)] = std::max<int64_t>(width_[slot(n)], 1);
  std::vector<int64_t> start;
  for (int64_t p = 0; p < length; ++p) {
    starts(p, start);
    for (int n : trunk_) {
      int64_t a = slice_start(n, start[static_cast<size_t>(n)]), b = a + slice_width(n);
      for (int m : graph.node(n).inputs) {
        pad_left_[slot(m)] = std::max(pad_left_[slot(m)], -a);
        pad_right_[slot(m)] = std::max(pad_right_[slot(m)], b - graph.shape_of(m).length);
      }
    }
  }
}

void MutationReach::reach(int64_t position, std::vector<int64_t>& lo, std::vector<int64_t>& hi) const {
  const size_t slots = graph_.nodes().size() + 1;
  lo.assign(slots, 0);
  hi.assign(slots, 0);
  lo[0] = position;
  hi[0] = position + 1;
  for (int n : trunk_) {
    const Node& node = graph_.node(n);
    const Reads& r = node.reads;
    int64_t a = 0, b = 0;  // the union over inputs, empty so far
    for (int m : node.inputs) {
      if (lo[slot(m)] >= hi[slot(m)]) continue;
      int64_t first = std::max<int64_t>(0, ceil_div(lo[slot(m)] + r.pad - r.span + 1, r.stride));
      int64_t last = std::min(node.out.length, floor_div(hi[slot(m)] - 1 + r.pad, r.stride) + 1);
      if (first >= last) continue;
      if (a >= b) {
        a = first;
        b = last;
      } else {
        a = std::min(a, first);
        b = std::max(b, last);
      }
    }
    lo[slot(n)] = a;
    hi[slot(n)] = b;
  }
}

void MutationReach::starts(int64_t position, std::vector<int64_t>& start) const {
  std::vector<int64_t> lo, hi;
  reach(position, lo, hi);
  start.assign(graph_.nodes().size(), 0);
  // An unchanged node recomputes from position 0: its values equal the reference's there.
  for (int n : trunk_) start[static_cast<size_t>(n)] = lo[slot(n)] < hi[slot(n)] ? lo[slot(n)] : 0;
}

}  // namespace seqdl::nn
