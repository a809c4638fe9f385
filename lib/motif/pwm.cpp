#include "motif/pwm.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"

namespace seqdl::motif {

std::vector<Column> apply_pseudocount(const Motif& m, const Background& bg, double pseudocount) {
  double n = m.nsites && *m.nsites > 0 ? *m.nsites : kDefaultSites;
  std::vector<Column> out = m.rows;
  for (Column& c : out) {
    for (int b = 0; b < 4; ++b) c[b] = (c[b] * n + pseudocount * bg[b]) / (n + pseudocount);
  }
  return out;
}

ScoreDistribution::ScoreDistribution(const std::vector<int32_t>& scores, const Background& bg) {
  size_t width = scores.size() / 4;
  // dist[s] = P(partial score - partial minimum = s) after each position.
  std::vector<double> dist{1.0}, next;
  for (size_t i = 0; i < width; ++i) {
    const int32_t* row = &scores[i * 4];
    int32_t lo = *std::min_element(row, row + 4), hi = *std::max_element(row, row + 4);
    offset_ += lo;
    next.assign(dist.size() + static_cast<size_t>(hi - lo), 0.0);
    for (int b = 0; b < 4; ++b) {
      size_t shift = static_cast<size_t>(row[b] - lo);
      for (size_t s = 0; s < dist.size(); ++s) next[s + shift] += dist[s] * bg[b];
    }
    dist.swap(next);
  }
  // Summing from the top keeps small tail probabilities accurate.
  tail_.assign(dist.size(), 0.0);
  double acc = 0;
  for (size_t s = dist.size(); s-- > 0;) {
    acc += dist[s];
    tail_[s] = std::min(acc, 1.0);
  }
}

double ScoreDistribution::pvalue(int64_t score) const {
  int64_t i = score - offset_;
  if (i <= 0) return 1.0;
  if (i >= static_cast<int64_t>(tail_.size())) return 0.0;
  return tail_[static_cast<size_t>(i)];
}

int64_t ScoreDistribution::threshold(double p) const {
  // tail_ is non-increasing: find the first entry below p.
  auto it = std::partition_point(tail_.begin(), tail_.end(), [p](double v) { return v >= p; });
  return offset_ + (it - tail_.begin());
}

Pwm::Pwm(Motif motif, const Background& bg, double pseudocount) : motif_(std::move(motif)) {
  if (motif_.width() == 0) throw UsageError("motif '{}' has no positions", motif_.id);
  if (!(pseudocount >= 0) || !std::isfinite(pseudocount)) {
    throw UsageError("the pseudocount must be a number >= 0, found {}", pseudocount);
  }
  size_t w = motif_.width();
  std::vector<Column> p = apply_pseudocount(motif_, bg, pseudocount);
  auto& fwd = scores_[0];
  fwd.resize(w * 4);
  double range = 0;
  for (size_t i = 0; i < w; ++i) {
    double lo = INFINITY, hi = -INFINITY;
    for (int b = 0; b < 4; ++b) {
      // A zero probability (only with pseudocount 0) scores -64 bits instead of -infinity, so that the
      // integer arithmetic stays finite; windows with such a base fall far below any threshold.
      double v = p[i][b] > 0 ? std::log2(p[i][b] / bg[b]) : -64.0;
      fwd[i * 4 + b] = v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    range += hi - lo;
  }
  units_ = range * kMaxUnitsPerBit <= static_cast<double>(kMaxTable - 1) ? kMaxUnitsPerBit
                                                                         : static_cast<double>(kMaxTable - 1) / range;
  auto& rev = scores_[1];
  rev.resize(w * 4);
  for (size_t i = 0; i < w; ++i) {
    for (int b = 0; b < 4; ++b) rev[i * 4 + b] = fwd[(w - 1 - i) * 4 + (3 - b)];
  }
  for (int s = 0; s < 2; ++s) {
    ints_[s].resize(w * 4);
    for (size_t k = 0; k < w * 4; ++k) ints_[s][k] = static_cast<int32_t>(std::floor(scores_[s][k] * units_ + 0.5));
  }
  dist_[0] = std::make_shared<ScoreDistribution>(ints_[0], bg);
  dist_[1] = strand_symmetric(bg) ? dist_[0] : std::make_shared<ScoreDistribution>(ints_[1], bg);
}

}  // namespace seqdl::motif
