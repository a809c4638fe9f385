// From coarse neighbours to the weighted graph that `seqdl motifs discover` clusters:
//  1. fine similarity: each seqlet's coarse neighbours re-scored by the continuous Jaccard of their
//     L1-normalised contribution tracks at the best offset and orientation (discover_similarity.hpp);
//  2. density-adapted affinities (as t-SNE's input similarities): for seqlet i with distances
//     d_ij = 1 - J_ij to its neighbours, p_j|i = exp(-beta_i (d_ij - min_j d_ij)) / Z_i with beta_i found by
//     bisection so that the perplexity exp(-sum_j p_j|i ln p_j|i) is `perplexity` (or the neighbour count, if
//     smaller): dense regions get sharp kernels, sparse ones wide kernels. Neighbours whose similarity is
//     below `min_similarity` are left out first;
//  3. the graph: an undirected edge per neighbour pair, weight (p_j|i + p_i|j) / 2 (a missing direction
//     counts 0).
#pragma once

#include <cstdint>
#include <vector>

#include "motif/discover_neighbors.hpp"
#include "motif/discover_tracks.hpp"

namespace seqdl::motif {

// Step 1: the same neighbours, with their Jaccard similarity, re-sorted best first.
NeighborGraph fine_similarities(const SeqletTracks& tracks, const NeighborGraph& coarse, double overlap_fraction,
                                int threads);

// Step 2 for one node: p_j|i for the given distances (sum 1; all equal when the distances are).
std::vector<double> perplexity_kernel(const std::vector<double>& distances, double perplexity);

struct Edge {
  uint32_t a = 0, b = 0;  // a < b
  double weight = 0;
};

// Steps 2 and 3: edges sorted by (a, b).
std::vector<Edge> density_affinities(const NeighborGraph& fine, double perplexity, double min_similarity,
                                     int threads = 1);

}  // namespace seqdl::motif
