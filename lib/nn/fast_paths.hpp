// Which of seqdl's fast paths a network's graph allows, torch-free (so that `seqdl info` can say it, and the
// engines that take the paths decide the same way):
//   shared trunk  windows of a genome scan share the trunk's work (infer/window_runner.hpp)
//   fast ISM      substitutions recompute only what they reach (interpret/local_recompute.hpp)
//   DeepLIFT      every layer has an exact rule (interpret/deeplift.hpp)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/graph.hpp"

namespace seqdl::nn {

struct SharedTrunk {
  std::string why_not;        // empty when windows can share work
  bool whole = false;         // every output is local and exact: whole chunks run through the network
  std::vector<int> frontier;  // otherwise: the trunk nodes the rest of the network reads, each exact
  std::vector<int> pooled;    // per frontier node: the global pool that alone reads it (-1: read as slices)
  int64_t factor = 1;         // window starts must be a multiple of this apart (the frontier's resolution)
};

// The plan for sharing work between overlapping windows. Geometry-specific conditions (the scan's stride being a
// multiple of `factor`, windows that overlap or tile) are the caller's.
SharedTrunk shared_trunk(const Graph& graph);

// The layer types DeepLIFT has an exact rule for, and the first layer without one ("" if every layer has one).
bool has_deeplift_rule(const std::string& type);
std::string layer_without_deeplift_rule(const Graph& graph);
// The same among the layers one output node depends on.
std::string layer_without_deeplift_rule(const Graph& graph, int output);

// One line per node (name, type, input and output shapes, receptive field and exactness for local layers) and the
// fast paths that apply: what `seqdl info` prints about a network.
std::vector<std::string> describe_layers(const Graph& graph);
std::vector<std::pair<std::string, std::string>> describe_fast_paths(const Graph& graph);

}  // namespace seqdl::nn
