// The pieces of Tomtom's null (compare.hpp gives the method): one query's column scores on an integer grid, and
// the exact distribution of a sum of independent grid levels. Plain values; no shared state.
#pragma once

#include <cmath>
#include <vector>

namespace seqdl::motif {

// level(s) = floor((s - low) / (high - low) * bins + 0.5): low -> 0, high -> bins. When high == low every score
// is level 0.
class ScoreGrid {
 public:
  ScoreGrid(double low, double high, int bins)
      : low_(low), scale_(high > low ? static_cast<double>(bins) / (high - low) : 0.0), bins_(bins) {}
  int level(double score) const { return static_cast<int>(std::floor((score - low_) * scale_ + 0.5)); }
  int bins() const { return bins_; }

 private:
  double low_, scale_;
  int bins_;
};

// The distribution of X_1 + ... + X_k for independent levels X_i, one column added at a time by convolution:
// O(current range x nonzero levels of the column) per add.
class LevelSum {
 public:
  // column[v] = P(X = v), v = 0..column.size() - 1.
  void add(const std::vector<double>& column);
  // Back to the empty sum (P(0) = 1).
  void clear() { pmf_.assign(1, 1.0); }
  const std::vector<double>& distribution() const { return pmf_; }
  // tails[t] = P(sum >= t) for t = 0..max, summed from the top so that small tails keep their precision.
  void tails(std::vector<double>& out) const;

 private:
  std::vector<double> pmf_ = {1.0}, next_;
};

}  // namespace seqdl::motif
