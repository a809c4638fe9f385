// Which positions of each layer a single-base substitution can change, torch-free: the geometry behind fast ISM
// and local-recompute variant scoring (the idea of fastISM, Nair et al. 2022, on any graph of local layers).
//
// For a substitution at input position p, a trunk node's changed outputs are those whose reads (Reads) meet a
// changed position of any of its inputs. Every node recomputes a fixed number of positions, width(node), the most
// any substitution changes, starting at start(node, p); it reads slice_width(node) positions of each input from
// slice_start(node, start). Reference activations are zero-padded by pad_left/pad_right so that every slice exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/graph.hpp"

namespace seqdl::nn {

// Refers to the graph, which must outlive it; immutable after construction (calls may run concurrently).
class MutationReach {
 public:
  // Analyses the graph for inputs of its input length (O(length x nodes), once per model).
  explicit MutationReach(const Graph& graph);

  // Why local recomputation does not apply (no local trunk, or a layer outside it reads the input), or "".
  const std::string& why_not() const { return why_not_; }
  const std::vector<int>& trunk() const { return trunk_; }        // recomputed nodes, in order
  const std::vector<int>& frontier() const { return frontier_; }  // trunk nodes the rest of the network reads

  int64_t width(int node) const { return width_[slot(node)]; }
  // The first recomputed output of every node (indexed like the graph's nodes) for a substitution at `position`.
  void starts(int64_t position, std::vector<int64_t>& start) const;
  int64_t slice_start(int node, int64_t start) const {
    const Reads& r = graph_.node(node).reads;
    return start * r.stride - r.pad;
  }
  int64_t slice_width(int node) const {
    const Reads& r = graph_.node(node).reads;
    return (width(node) - 1) * r.stride + r.span;
  }
  // Zero padding each value (node, or kNetworkInput) needs on each side for every slice to exist.
  int64_t pad_left(int value) const { return pad_left_[slot(value)]; }
  int64_t pad_right(int value) const { return pad_right_[slot(value)]; }

 private:
  size_t slot(int value) const { return static_cast<size_t>(value + 1); }  // slot 0: the network input
  // Changed output range [lo, hi) of every node for a substitution at `position` (empty: lo >= hi).
  void reach(int64_t position, std::vector<int64_t>& lo, std::vector<int64_t>& hi) const;

  const Graph& graph_;
  std::string why_not_;
  std::vector<int> trunk_, frontier_;
  std::vector<int64_t> width_, pad_left_, pad_right_;  // per slot
};

}  // namespace seqdl::nn
