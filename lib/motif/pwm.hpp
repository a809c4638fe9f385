// Position weight matrices for scanning, as FIMO builds them, with exact p-values.
//
// Pseudocount (FIMO's --motif-pseudo, applied as the MEME suite does): each probability is turned back into
// a count with the motif's number of sites n (20 when the file does not say, MEME's default), the
// pseudocount times the background is added, and the row is renormalised:
//     p' = (p n + pseudo bg) / (n + pseudo)            (with n = 1 this is (p + pseudo bg) / (1 + pseudo))
// Score of base b at position i: log2(p'_ib / bg_b) bits; a window's score is the sum over its positions.
//
// Exact p-values: the scores are scaled to integers, round(score * k) with k units per bit, and the exact
// distribution of the integer window score under the background (positions independent, each base drawn
// from the background) is computed by dynamic programming over positions. The p-value of a window is
// P(S >= s) for its integer score s. k is 1000 (a resolution of 0.001 bit) unless the motif's score range
// (sum over positions of max - min) times 1000 exceeds kMaxTable - 1 integer steps; then k shrinks so that
// the table keeps kMaxTable entries (512 KiB). Rounding moves a window's score by at most w / (2k) bits,
// so P(S_exact >= s + w/k) <= p-value <= P(S_exact >= s - w/k): the test suite checks exactly this bracket
// against brute force.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "motif/motif.hpp"

namespace seqdl::motif {

inline constexpr double kDefaultPseudocount = 0.1;
inline constexpr double kDefaultSites = 20;  // MEME's DEFAULT_SITE_COUNT
inline constexpr double kMaxUnitsPerBit = 1000;
inline constexpr int64_t kMaxTable = 65536;

// The probabilities with the pseudocount applied (see above).
std::vector<Column> apply_pseudocount(const Motif& m, const Background& bg, double pseudocount);

// The distribution of an integer-scored matrix's window score when bases are drawn from `bg`.
class ScoreDistribution {
 public:
  // scores: width x 4 integers, row-major (A, C, G, T).
  ScoreDistribution(const std::vector<int32_t>& scores, const Background& bg);

  // P(S >= score); 1 below the minimum, 0 above the maximum.
  double pvalue(int64_t score) const;
  // The smallest integer score whose p-value is < p (max_score() + 1 when even the best score is not).
  int64_t threshold(double p) const;
  int64_t min_score() const { return offset_; }
  int64_t max_score() const { return offset_ + static_cast<int64_t>(tail_.size()) - 1; }

 private:
  int64_t offset_ = 0;        // the minimum score
  std::vector<double> tail_;  // tail_[s - offset_] = P(S >= s)
};

// One motif ready to score windows on both strands. Strand 0 is the motif as given, strand 1 its reverse
// complement (scored on the forward bases: a '-' hit is the motif on the opposite strand).
class Pwm {
 public:
  Pwm(Motif motif, const Background& bg, double pseudocount = kDefaultPseudocount);

  const Motif& motif() const { return motif_; }
  size_t width() const { return motif_.width(); }
  double units_per_bit() const { return units_; }

  const std::vector<double>& scores(int strand) const { return scores_[strand]; }       // width x 4, bits
  const std::vector<int32_t>& int_scores(int strand) const { return ints_[strand]; }    // width x 4, units
  const ScoreDistribution& distribution(int strand) const { return *dist_[strand]; }

  // A window's score from base codes 0..3 (A C G T); codes must hold width() valid codes.
  double score(int strand, const uint8_t* codes) const {
    const double* s = scores_[strand].data();
    double total = 0;
    for (size_t i = 0; i < width(); ++i) total += s[i * 4 + codes[i]];
    return total;
  }
  int64_t int_score(int strand, const uint8_t* codes) const {
    const int32_t* s = ints_[strand].data();
    int64_t total = 0;
    for (size_t i = 0; i < width(); ++i) total += s[i * 4 + codes[i]];
    return total;
  }
  double pvalue(int strand, int64_t int_score) const { return dist_[strand]->pvalue(int_score); }

 private:
  Motif motif_;
  double units_ = kMaxUnitsPerBit;
  std::array<std::vector<double>, 2> scores_;
  std::array<std::vector<int32_t>, 2> ints_;
  std::array<std::shared_ptr<const ScoreDistribution>, 2> dist_;  // shared when the background is strand-symmetric
};

}  // namespace seqdl::motif
