// PWM scores and exact p-values, checked by hand and against brute-force enumeration of all 4^w sequences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "common/test_support.hpp"
#include "motif/motif_io.hpp"
#include "motif/pwm.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

Motif random_motif(size_t width, Rng& rng, double nsites) {
  Motif m{"r", "", {}, nsites};
  for (size_t i = 0; i < width; ++i) {
    Column c;
    double sum = 0;
    for (double& v : c) sum += v = std::pow(rng.uniform(), 3);  // skewed: some strong, some weak positions
    for (double& v : c) v /= sum;
    m.rows.push_back(c);
  }
  return m;
}

// Every sequence of length w with its probability under bg, its integer score and its unrounded score.
struct Enumerated {
  double prob;
  int64_t int_score;
  double score;
};

std::vector<Enumerated> enumerate(const Pwm& pwm, int strand, const Background& bg) {
  size_t w = pwm.width();
  std::vector<Enumerated> out;
  std::vector<uint8_t> codes(w, 0);
  for (size_t n = 0; n < (size_t{1} << (2 * w)); ++n) {
    double prob = 1;
    for (size_t i = 0; i < w; ++i) {
      codes[i] = static_cast<uint8_t>((n >> (2 * i)) & 3);
      prob *= bg[codes[i]];
    }
    // Scores summed here from the matrices, independently of Pwm::score / int_score.
    int64_t is = 0;
    double s = 0;
    for (size_t i = 0; i < w; ++i) {
      is += pwm.int_scores(strand)[i * 4 + codes[i]];
      s += pwm.scores(strand)[i * 4 + codes[i]];
    }
    out.push_back({prob, is, s});
  }
  return out;
}

TEST(Pwm, HandComputedScores) {
  // Two positions from 4 sites: A A A A, then C C G G.
  Motif m{"m", "", {{1, 0, 0, 0}, {0, 0.5, 0.5, 0}}, 4.0};
  Pwm pwm(m, kUniformBackground, 0.1);
  // p' = (p * 4 + 0.1 * 0.25) / 4.1; score = log2(p' / 0.25).
  double a1 = std::log2((4 + 0.025) / 4.1 / 0.25), other1 = std::log2(0.025 / 4.1 / 0.25);
  double c2 = std::log2((2 + 0.025) / 4.1 / 0.25);
  EXPECT_DOUBLE_EQ(pwm.scores(0)[0 * 4 + 0], a1);
  EXPECT_DOUBLE_EQ(pwm.scores(0)[0 * 4 + 3], other1);
  EXPECT_DOUBLE_EQ(pwm.scores(0)[1 * 4 + 1], c2);
  uint8_t ac[] = {0, 1}, tg[] = {3, 2};
  EXPECT_DOUBLE_EQ(pwm.score(0, ac), a1 + c2);
  // The '-' strand reads the reverse complement: forward "AC" is "GT" on the other strand: G at
  // position 1 (other1) and T at position 2 (other1 as well).
  EXPECT_DOUBLE_EQ(pwm.score(1, ac), other1 + other1);
  // Forward "CT" is "AG" on the other strand: the motif's best.
  uint8_t ct[] = {1, 3};
  EXPECT_DOUBLE_EQ(pwm.score(1, ct), a1 + c2);
  EXPECT_DOUBLE_EQ(pwm.score(0, tg), other1 + c2);
  EXPECT_EQ(pwm.units_per_bit(), 1000);
  EXPECT_EQ(pwm.int_score(0, ac), std::llround(a1 * 1000) + std::llround(c2 * 1000));
}

TEST(Pwm, PseudocountUsesTheSiteCountAsFimoDoes) {
  Motif m{"m", "", {{0.5, 0.5, 0, 0}}, std::nullopt};
  Background bg = {0.3, 0.2, 0.2, 0.3};
  auto p = apply_pseudocount(m, bg, 0.1);
  // No nsites: MEME's default of 20 sites.
  EXPECT_DOUBLE_EQ(p[0][0], (0.5 * 20 + 0.1 * 0.3) / 20.1);
  EXPECT_DOUBLE_EQ(p[0][2], (0.1 * 0.2) / 20.1);
  m.nsites = 1;
  p = apply_pseudocount(m, bg, 0.1);
  EXPECT_DOUBLE_EQ(p[0][0], (0.5 + 0.1 * 0.3) / 1.1);
}

// Exact p-values equal brute force on the integer scores, for both strands, uniform and skewed
// backgrounds (the asymmetric one gives each strand its own distribution).
TEST(Pwm, PvaluesEqualBruteForceOnIntegerScores) {
  Rng rng(42);
  const Background backgrounds[] = {kUniformBackground, {0.3, 0.2, 0.2, 0.3}, {0.4, 0.1, 0.2, 0.3}};
  for (size_t w = 1; w <= 8; ++w) {
    for (const Background& bg : backgrounds) {
      Pwm pwm(random_motif(w, rng, w % 2 == 0 ? 20.0 : 300.0), bg, 0.1);
      for (int strand = 0; strand < 2; ++strand) {
        auto all = enumerate(pwm, strand, bg);
        std::map<int64_t, double> mass;
        for (const auto& e : all) mass[e.int_score] += e.prob;
        double tail = 0;
        for (auto it = mass.rbegin(); it != mass.rend(); ++it) {
          tail += it->second;
          ASSERT_NEAR(pwm.distribution(strand).pvalue(it->first), tail, 1e-12 * std::max(tail, 1e-300) + 1e-15)
              << "w=" << w << " strand " << strand << " score " << it->first;
          // And between two reachable scores the p-value does not change.
          ASSERT_NEAR(pwm.distribution(strand).pvalue(it->first + 1), tail - it->second, 1e-12)
              << "w=" << w << " strand " << strand;
        }
        EXPECT_EQ(pwm.distribution(strand).max_score(), mass.rbegin()->first);
        EXPECT_EQ(pwm.distribution(strand).min_score(), mass.begin()->first);
      }
    }
  }
}

// Against the unrounded scores: rounding moves a score by at most w / (2k) bits, so the exact p-value of
// the unrounded score s lies between the brute-force tails at s + w/k and s - w/k.
TEST(Pwm, PvaluesBracketTheUnroundedBruteForce) {
  Rng rng(7);
  for (size_t w : {4, 6, 8}) {
    for (const Background& bg : {kUniformBackground, Background{0.35, 0.15, 0.15, 0.35}}) {
      Pwm pwm(random_motif(w, rng, 50.0), bg, 0.1);
      auto all = enumerate(pwm, 0, bg);
      std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
      std::vector<double> scores, tails;  // descending scores and P(S >= score)
      double acc = 0;
      for (const auto& e : all) {
        acc += e.prob;
        scores.push_back(e.score);
        tails.push_back(acc);
      }
      auto tail_at = [&](double s) {  // P(S_exact >= s)
        auto it = std::upper_bound(scores.begin(), scores.end(), s, [](double v, double x) { return v > x; });
        // `it` is the first score < s; everything before it is >= s.
        return it == scores.begin() ? 0.0 : tails[static_cast<size_t>(it - scores.begin()) - 1];
      };
      double delta = static_cast<double>(w) / pwm.units_per_bit();
      for (size_t k = 0; k < all.size(); k += 7) {
        double p = pwm.distribution(0).pvalue(all[k].int_score);
        ASSERT_LE(p, tail_at(all[k].score - delta) + 1e-12);
        ASSERT_GE(p, tail_at(all[k].score + delta) - 1e-12);
      }
    }
  }
}

TEST(Pwm, ThresholdIsTheSmallestScoreBelowThePvalue) {
  Rng rng(3);
  Pwm pwm(random_motif(6, rng, 30), kUniformBackground, 0.1);
  const ScoreDistribution& d = pwm.distribution(0);
  for (double p : {1.0, 0.5, 0.01, 1e-3, 1e-4, 1e-9}) {
    int64_t t = d.threshold(p);
    if (t <= d.max_score()) {
      EXPECT_LT(d.pvalue(t), p);
    }
    EXPECT_GE(d.pvalue(t - 1), p) << p;
  }
  EXPECT_EQ(d.threshold(1e-300), d.max_score() + 1);  // even the best window is not that rare
}

TEST(Pwm, WideMotifsKeepTheTableBounded) {
  SEQDL_SHARED_OR_SKIP(jaspar, "jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant_pfms_jaspar.txt");
  MotifFile f = read_motifs(jaspar);
  for (const Motif& m : f.motifs) {
    Pwm pwm(m, kUniformBackground, 0.1);
    const auto& d = pwm.distribution(0);
    ASSERT_LE(d.max_score() - d.min_score() + 1, kMaxTable + static_cast<int64_t>(m.width())) << m.id;
    ASSERT_LE(pwm.units_per_bit(), 1000);
    if (m.id == "MA0139.1") {
      // CTCF: 19 positions of up to ~15 bits each (913 sites make zero counts very unlikely).
      EXPECT_LT(pwm.units_per_bit(), 1000);
      EXPECT_GT(pwm.units_per_bit(), 200);
    }
  }
}

}  // namespace
}  // namespace seqdl::motif
