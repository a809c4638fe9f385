// Nearest neighbours of unit vectors by dot product, for the coarse stage of `seqdl motifs discover`.
// Small sets are searched exhaustively; larger ones by NN-descent (Dong, Charikar and Li 2011: a
// neighbour's neighbour is likely a neighbour), whose cost grows about linearly with the number of points
// rather than quadratically. Both are deterministic for a seed, and give the same result for any number of
// threads: NN-descent joins a fixed batch of nodes in parallel against the graph as it was before the batch,
// then applies the batch's proposals in node order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seqdl::motif {

struct NeighborGraph {
  size_t nodes = 0;
  int k = 0;                        // neighbours per node (min(requested, nodes - 1))
  std::vector<uint32_t> index;      // [nodes][k], most similar first (ties: smaller index first)
  std::vector<float> similarity;    // [nodes][k]
};

// Dot product of two float vectors of length n.
float dot(const float* a, const float* b, size_t n);

// Every pair compared: O(nodes^2 dims).
NeighborGraph exact_neighbors(const std::vector<float>& vectors, size_t nodes, int dims, int k, int threads);

struct NnDescentOptions {
  int k = 30;
  double sample = 0.5;       // rho: the fraction of new neighbours joined per round
  int max_rounds = 12;
  double min_updates = 0.001;  // stop when a round changes fewer than this fraction of the n k entries
  uint64_t seed = 0;
  int threads = 1;
};

NeighborGraph nn_descent(const std::vector<float>& vectors, size_t nodes, int dims, const NnDescentOptions& options);

// exact_neighbors up to `exact_limit` nodes, else nn_descent.
NeighborGraph nearest_neighbors(const std::vector<float>& vectors, size_t nodes, int dims,
                                const NnDescentOptions& options, size_t exact_limit = 3000);

}  // namespace seqdl::motif
