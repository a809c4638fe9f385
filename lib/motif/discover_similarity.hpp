// The fine similarity of `seqdl motifs discover`: TF-MoDISco's continuous Jaccard of two contribution
// tracks, maximised over their relative offsets and both orientations.
//
// Tracks are position-major ([position][A C G T]); y is placed with its position 0 on x's position `offset`.
// Over the union of the two extents (each track is 0 outside itself):
//   J = sum sign(x) sign(y) min(|x|, |y|) / sum max(|x|, |y|)
// which is 1 for identical tracks, 0 for tracks that share nothing, -1 for a track against its negation,
// and does not change when both tracks are scaled alike. Callers pass each track's L1 norm (sum |values|),
// which gives the denominator as |x|_1 + |y|_1 - sum over the overlap of min(|x|, |y|).
#pragma once

#include <limits>

// The inner loops are compiled twice on x86-64, for AVX2 and for the baseline, and the CPU picks at load time.
// Both give the same numbers: the compiler may not reorder floating-point sums (no -ffast-math), and the AVX2
// clone does not fuse multiply-adds.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SEQDL_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SEQDL_VECTOR_CLONES
#endif

namespace seqdl::motif {

double continuous_jaccard(const float* x, int wx, double x_total, const float* y, int wy, double y_total, int offset);

struct Placement {
  double similarity = -std::numeric_limits<double>::infinity();
  int offset = 0;        // y's (or its reverse complement's) position 0 lies on x's position `offset`
  bool reverse = false;  // y_rc was placed
};

// The best J over every offset where at least `min_overlap` positions overlap, y first, then its reverse
// complement `y_rc` (the same array reversed); ties keep the first found (forward, smaller offset).
Placement best_placement(const float* x, int wx, double x_total, const float* y, const float* y_rc, int wy,
                         double y_total, int min_overlap);

// The smallest overlap, in positions, for tracks of widths a and b: ceil(fraction x the smaller width), >= 1.
int min_overlap(int a, int b, double fraction);

}  // namespace seqdl::motif
