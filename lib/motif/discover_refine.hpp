// From clusters to final patterns in `seqdl motifs discover`:
//   split     a pattern whose members fall into sub-clusters (Leiden on the affinity graph restricted to them)
//             that stay apart after merging (below) becomes those sub-patterns;
//   merge     the most similar pair of patterns (CWM Jaccard, pattern_similarity) is merged while it reaches
//             `merge_similarity`: the smaller one's members are placed on the larger and the pattern rebuilt;
//   reassign  every seqlet of the metacluster goes to the pattern it is most similar to, if at least
//             `assign_similarity`; patterns are rebuilt from their new members;
//   drop      patterns with fewer than `min_seqlets` members, or without `ic_window` consecutive positions of
//             mean information content `min_window_ic` bits (noise aligned on itself).
#pragma once

#include <cstdint>
#include <vector>

#include "motif/discover_affinity.hpp"
#include "motif/discover_patterns.hpp"

namespace seqdl::motif {

struct RefineOptions {
  PatternOptions pattern;
  double merge_similarity = 0.6;
  double assign_similarity = 0.2;
  int min_seqlets = 20;
  int ic_window = 6;
  double min_window_ic = 0.6;
  int leiden_runs = 10;
  uint64_t seed = 0;
  int threads = 1;
};

// Patterns from the clusters of a membership (clusters with at least 2 members), aligned by
// align_to_running_sum; patterns that trim to nothing are left out. Largest first.
std::vector<Pattern> patterns_from_clusters(const SeqletTracks& tracks, const std::vector<int>& membership,
                                            const RefineOptions& options);

std::vector<Pattern> split_patterns(const SeqletTracks& tracks, std::vector<Pattern> patterns,
                                    const std::vector<Edge>& edges, const RefineOptions& options);

std::vector<Pattern> merge_patterns(const SeqletTracks& tracks, std::vector<Pattern> patterns,
                                    const RefineOptions& options);

// Reassigns and drops; the result is ordered by member count (largest first).
std::vector<Pattern> reassign_seqlets(const SeqletTracks& tracks, const std::vector<Pattern>& patterns,
                                      const RefineOptions& options);

// Whether a pattern passes the information test of `drop`.
bool informative(const Pattern& pattern, int ic_window, double min_window_ic);

// Each member placed afresh on its own pattern (offsets and similarities for the outputs).
void place_members(const SeqletTracks& tracks, std::vector<Pattern>& patterns, double overlap_fraction, int threads);

}  // namespace seqdl::motif
