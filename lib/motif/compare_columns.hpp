// Column similarities for motif comparison (compare.hpp). Columns are transformed once so that a similarity
// is cheap: for Pearson, centred (a probability column's mean is always 0.25) and scaled to unit length, so that
// the correlation is a dot product; the distances use the probabilities as they are.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "motif/compare.hpp"
#include "motif/motif.hpp"

namespace seqdl::motif {

inline Column prepare_column(const Column& c, ColumnSimilarity kind) {
  if (kind != ColumnSimilarity::pearson) return c;
  Column z;
  double norm = 0;
  for (int b = 0; b < 4; ++b) {
    z[b] = c[b] - 0.25;
    norm += z[b] * z[b];
  }
  norm = std::sqrt(norm);
  for (double& v : z) v = norm > 1e-12 ? v / norm : 0.0;  // a uniform column correlates with nothing
  return z;
}

inline std::vector<Column> prepare_columns(const Motif& m, ColumnSimilarity kind) {
  std::vector<Column> out;
  out.reserve(m.rows.size());
  for (const Column& c : m.rows) out.push_back(prepare_column(c, kind));
  return out;
}

// The similarity of two prepared columns (compare.hpp lists the three).
inline double column_similarity(const Column& a, const Column& b, ColumnSimilarity kind) {
  if (kind == ColumnSimilarity::pearson) return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
  double d = 0;
  for (int k = 0; k < 4; ++k) d += (a[k] - b[k]) * (a[k] - b[k]);
  if (kind == ColumnSimilarity::sandelin) return 2.0 - d;
  return 1.0 - std::sqrt(d) / std::sqrt(2.0);
}

// Offsets of an alignment (compare.hpp): query column i lies on target column i + offset, for offsets from
// need - query_width to target_width - need.
struct OffsetRange {
  int need = 0, first = 0, last = 0;  // offsets [first, last]
  int count() const { return last - first + 1; }
};

inline OffsetRange offset_range(int query_width, int target_width, int min_overlap) {
  int need = std::min({min_overlap, query_width, target_width});
  return {need, need - query_width, target_width - need};
}

}  // namespace seqdl::motif
