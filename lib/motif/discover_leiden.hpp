// Community detection for `seqdl motifs discover`: the Leiden algorithm (Traag, Waltman and van Eck 2019)
// of Debian's libigraph (igraph_community_leiden), maximising modularity on a weighted undirected graph.
// Several runs with different seeds; the partition of highest modularity wins (ties: the earlier run).
// igraph's random generator is global, so calls are serialised (a mutex); results depend only on the
// graph, `runs` and `seed`.
#pragma once

#include <cstdint>
#include <vector>

#include "motif/discover_affinity.hpp"

namespace seqdl::motif {

struct Clustering {
  std::vector<int> membership;  // per node; clusters numbered by size (largest 0), ties by smallest member
  int clusters = 0;
  double modularity = 0;
  int best_run = 0;
};

// Leiden (modularity, resolution `resolution`) until stable, `runs` times with seeds seed, seed + 1, ...
// A graph without edges gives every node its own cluster. std::runtime_error if igraph fails.
Clustering leiden(size_t nodes, const std::vector<Edge>& edges, int runs, uint64_t seed, double resolution = 1.0);

// Clusters renumbered by size (descending), ties by their smallest member.
std::vector<int> canonical_membership(const std::vector<int>& membership, int* clusters = nullptr);

}  // namespace seqdl::motif
