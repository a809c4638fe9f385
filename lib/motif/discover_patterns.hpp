// Patterns of `seqdl motifs discover`: seqlets aligned on each other and averaged.
//
// A pattern is built from members, each a seqlet placed at an offset, forward or reverse-complemented:
// per position, the contribution-weight matrix (CWM) is the mean contribution of the members covering the
// position, the hypothetical CWM the mean hypothetical contribution, and the PPM the base frequencies
// (positions without a base left out). Then it is trimmed:
//  1. positions covered by fewer than `min_support` of the members go;
//  2. flanks go up to the first and last position whose PPM carries at least `trim_ic` bits and whose summed
//     |CWM| is at least `trim_fraction` of the largest position's;
//  3. a pattern still wider than `max_width` keeps the window of that width with the largest sum of |CWM|.
// A pattern with no position left has width 0.
#pragma once

#include <cstdint>
#include <vector>

#include "motif/discover_similarity.hpp"
#include "motif/discover_tracks.hpp"
#include "motif/motif.hpp"

namespace seqdl::motif {

struct Member {
  uint32_t seqlet = 0;    // index into the metacluster's tracks
  int offset = 0;         // the seqlet's (or its reverse complement's) position 0 lies on pattern position `offset`
  bool reverse = false;   // the seqlet's reverse complement was placed
  double similarity = 0;  // continuous Jaccard with the pattern it was placed on
};

struct Pattern {
  int width = 0;
  std::vector<Member> members;
  std::vector<double> cwm, hypothetical, ppm;  // [width][A C G T]
  std::vector<uint32_t> coverage;              // members covering each position
};

struct PatternOptions {
  double overlap_fraction = 0.5;  // alignments keep at least this fraction of the narrower track
  double min_support = 0.2;
  double trim_ic = 0.3;           // bits
  double trim_fraction = 0.2;     // of the largest position's sum |CWM|
  int max_width = 30;
};

// Seqlets aligned one by one, largest sum |contribution| first (ties: smaller index), each at its best offset
// and orientation against the running sum of the L1-normalised tracks placed so far, within shifts that keep
// `overlap_fraction` of it on the first seqlet.
std::vector<Member> align_to_running_sum(const SeqletTracks& tracks, std::vector<uint32_t> seqlets,
                                         double overlap_fraction);

// The averaged and trimmed pattern; members come back with offsets on the trimmed pattern.
Pattern build_pattern(const SeqletTracks& tracks, const std::vector<Member>& members, const PatternOptions& options);

// The pattern's CWM scaled to sum |CWM| = 1 (position-major floats), and its reverse complement.
std::vector<float> normalised_cwm(const Pattern& p, bool reverse = false);

// The best placement of a seqlet on a pattern (Jaccard of the normalised CWM against the normalised track).
Member place_on_pattern(const std::vector<float>& cwm, int width, const SeqletTracks& tracks, uint32_t seqlet,
                        double overlap_fraction);

// How alike two patterns are: the best Jaccard of their normalised CWMs (b placed on a, either orientation).
Placement pattern_similarity(const Pattern& a, const Pattern& b, double overlap_fraction);

// The members of b expressed on a's positions, given b's placement on a (from pattern_similarity).
std::vector<Member> members_on(const Pattern& b, const Placement& placement, int seqlet_width);

// Information content of each PPM position (bits, uniform background).
std::vector<double> position_ic(const Pattern& p);

// The PPM as a Motif (id and name given, nsites = members).
Motif pattern_motif(const Pattern& p, std::string id, std::string name);

}  // namespace seqdl::motif
