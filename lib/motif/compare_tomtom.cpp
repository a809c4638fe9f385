// Tomtom's method (compare.hpp): sums of column similarities, p-values from the convolved column-score null.
#include "motif/compare_tomtom.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "motif/compare.hpp"
#include "motif/compare_columns.hpp"

namespace seqdl::motif {

void LevelSum::add(const std::vector<double>& column) {
  next_.assign(pmf_.size() + column.size() - 1, 0.0);
  for (size_t v = 0; v < column.size(); ++v) {
    const double p = column[v];
    if (p == 0) continue;
    double* out = next_.data() + v;
    for (size_t t = 0; t < pmf_.size(); ++t) out[t] += pmf_[t] * p;
  }
  pmf_.swap(next_);
}

void LevelSum::tails(std::vector<double>& out) const {
  out.resize(pmf_.size());
  double sum = 0;
  for (size_t t = pmf_.size(); t-- > 0;) out[t] = sum += pmf_[t];
}

namespace {

// One alignment of the query against one target: where it lies and what it scores.
struct Candidate {
  int strand = 0, offset = 0, first = 0, last = 0;  // query columns [first, last) overlap
  int level = 0;
  double score = 0, pvalue = 1;
};

// Whether `c` is a better alignment than `best` (compare.hpp: smaller p_align, then larger score, larger overlap;
// candidates arrive '+' first and by increasing offset, so the earlier one wins a full tie).
bool better(const Candidate& c, const Candidate& best) {
  // Mirrored column ranges of a palindromic query have the same null, convolved in another order: their p-values
  // and scores differ by rounding only, and count as ties.
  if (std::abs(c.pvalue - best.pvalue) > 1e-9 * std::max(c.pvalue, best.pvalue)) return c.pvalue < best.pvalue;
  constexpr double tie = 1e-12;
  if (std::abs(c.score - best.score) > tie) return c.score > best.score;
  return c.last - c.first > best.last - best.first;
}

// 1 - (1 - p)^n without cancellation for small p.
double corrected(double p, int n) {
  if (p >= 1) return 1;
  return std::min(1.0, -std::expm1(static_cast<double>(n) * std::log1p(-p)));
}

}  // namespace

std::vector<Match> MotifComparer::compare_tomtom(const std::vector<Column>& q) const {
  const int w = static_cast<int>(q.size());
  const size_t n_columns = columns_.size();
  const ColumnSimilarity kind = settings_.similarity;
  // Every query column against every database column: the null and, read along diagonals, the alignments.
  std::vector<double> scores(static_cast<size_t>(w) * n_columns);
  for (int i = 0; i < w; ++i) {
    double* row = scores.data() + static_cast<size_t>(i) * n_columns;
    for (size_t c = 0; c < n_columns; ++c) row[c] = column_similarity(q[static_cast<size_t>(i)], columns_[c], kind);
  }
  auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  const ScoreGrid grid(*lo, *hi, settings_.bins);
  std::vector<int> levels(scores.size());
  std::vector<std::vector<double>> column_pmf(static_cast<size_t>(w), std::vector<double>(static_cast<size_t>(grid.bins()) + 1));
  for (size_t k = 0; k < scores.size(); ++k) {
    levels[k] = std::clamp(grid.level(scores[k]), 0, grid.bins());
    column_pmf[k / n_columns][static_cast<size_t>(levels[k])] += 1.0;
  }
  for (auto& pmf : column_pmf) {
    for (double& p : pmf) p /= static_cast<double>(n_columns);
  }

  // Every alignment, bucketed by the query columns it covers.
  std::vector<Candidate> candidates;
  std::vector<size_t> first_candidate(database_.size() + 1, 0);
  std::vector<std::vector<uint32_t>> by_range(static_cast<size_t>((w + 1) * (w + 1)));
  for (size_t d = 0; d < database_.size(); ++d) {
    first_candidate[d] = candidates.size();
    const int b = static_cast<int>(database_[d].width());
    const OffsetRange range = offset_range(w, b, settings_.min_overlap);
    for (int strand = 0; strand < 2; ++strand) {
      const size_t base = first_column_[d] + static_cast<size_t>(strand * b);
      for (int offset = range.first; offset <= range.last; ++offset) {
        Candidate c{strand, offset, std::max(0, -offset), std::min(w, b - offset), 0, 0.0, 1.0};
        for (int i = c.first; i < c.last; ++i) {
          size_t at = static_cast<size_t>(i) * n_columns + base + static_cast<size_t>(i + offset);
          c.level += levels[at];
          c.score += scores[at];
        }
        by_range[static_cast<size_t>(c.first * (w + 1) + c.last)].push_back(static_cast<uint32_t>(candidates.size()));
        candidates.push_back(c);
      }
    }
  }
  first_candidate[database_.size()] = candidates.size();

  // p_align for every alignment: one convolution pass per first column, extended only as far as needed.
  LevelSum sum;
  std::vector<double> tails;
  for (int f = 0; f < w; ++f) {
    int last_needed = 0;
    for (int l = f + 1; l <= w; ++l) {
      if (!by_range[static_cast<size_t>(f * (w + 1) + l)].empty()) last_needed = l;
    }
    sum.clear();
    for (int l = f + 1; l <= last_needed; ++l) {
      sum.add(column_pmf[static_cast<size_t>(l - 1)]);
      const auto& bucket = by_range[static_cast<size_t>(f * (w + 1) + l)];
      if (bucket.empty()) continue;
      sum.tails(tails);
      for (uint32_t k : bucket) {
        Candidate& c = candidates[k];
        c.pvalue = static_cast<size_t>(c.level) < tails.size() ? tails[static_cast<size_t>(c.level)] : 0.0;
      }
    }
  }

  std::vector<Match> matches;
  matches.reserve(database_.size());
  for (size_t d = 0; d < database_.size(); ++d) {
    if (first_candidate[d] == first_candidate[d + 1]) {  // a target of width 0
      matches.push_back(Match{d, {}, 1, 0, 1, 0});
      continue;
    }
    const Candidate* best = &candidates[first_candidate[d]];
    for (size_t k = first_candidate[d] + 1; k < first_candidate[d + 1]; ++k) {
      if (better(candidates[k], *best)) best = &candidates[k];
    }
    Match m;
    m.target = d;
    m.alignments = static_cast<int>(first_candidate[d + 1] - first_candidate[d]);
    const int overlap = best->last - best->first;
    m.alignment = {best->score, best->score / overlap, best->offset, overlap, best->strand == 1, best->level,
                   best->pvalue};
    m.pvalue = corrected(best->pvalue, m.alignments);
    matches.push_back(m);
  }
  return matches;
}

}  // namespace seqdl::motif
