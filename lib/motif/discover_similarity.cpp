#include "motif/discover_similarity.hpp"

#include <algorithm>
#include <cmath>

namespace seqdl::motif {

SEQDL_VECTOR_CLONES double continuous_jaccard(const float* x, int wx, double x_total, const float* y, int wy, double y_total, int offset) {
  const int first = std::max(0, offset), last = std::min(wx, offset + wy);  // x positions in the overlap
  // One accumulator per channel: four independent sums that the compiler can keep in one vector register.
  float signed_min[4] = {0, 0, 0, 0}, shared[4] = {0, 0, 0, 0};
  const float* a = x + 4 * first;
  const float* b = y + 4 * (first - offset);
  for (int p = 0; p < last - first; ++p, a += 4, b += 4) {
    for (int c = 0; c < 4; ++c) {
      float m = std::min(std::abs(a[c]), std::abs(b[c]));
      shared[c] += m;
      signed_min[c] += a[c] * b[c] >= 0 ? m : -m;
    }
  }
  double s = (signed_min[0] + signed_min[1]) + (signed_min[2] + signed_min[3]);
  double denominator = x_total + y_total - ((shared[0] + shared[1]) + (shared[2] + shared[3]));
  return denominator > 0 ? s / denominator : 0.0;
}

Placement best_placement(const float* x, int wx, double x_total, const float* y, const float* y_rc, int wy,
                         double y_total, int min_overlap) {
  Placement best;
  const int need = std::max(1, std::min({min_overlap, wx, wy}));
  for (int strand = 0; strand < 2; ++strand) {
    const float* t = strand == 0 ? y : y_rc;
    for (int offset = need - wy; offset <= wx - need; ++offset) {
      double j = continuous_jaccard(x, wx, x_total, t, wy, y_total, offset);
      if (j > best.similarity) best = {j, offset, strand == 1};
    }
  }
  return best;
}

int min_overlap(int a, int b, double fraction) {
  return std::max(1, static_cast<int>(std::ceil(fraction * std::min(a, b) - 1e-9)));
}

}  // namespace seqdl::motif
