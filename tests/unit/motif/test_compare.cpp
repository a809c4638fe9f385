// Motif comparison by hand: alignments, column similarities, the null's grid and sums of levels, q-values, and
// the mean-shuffle method's seeded p-values on JASPAR. (Tomtom's numbers against numpy: test_compare_reference.cpp;
// known answers on JASPAR: test_compare_jaspar.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/test_support.hpp"
#include "motif/compare.hpp"
#include "motif/compare_tomtom.hpp"
#include "motif/motif_io.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

// Pearson correlation written out from its definition, for the hand checks.
double pearson(const Column& a, const Column& b) {
  double ma = (a[0] + a[1] + a[2] + a[3]) / 4, mb = (b[0] + b[1] + b[2] + b[3]) / 4, sab = 0, saa = 0, sbb = 0;
  for (int k = 0; k < 4; ++k) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

CompareSettings with(ColumnSimilarity similarity, int min_overlap, CompareMethod method = CompareMethod::tomtom) {
  CompareSettings s;
  s.similarity = similarity;
  s.min_overlap = min_overlap;
  s.method = method;
  return s;
}

TEST(CompareAlignment, OffsetsOverlapAndStrandsByHand) {
  Motif query = from_consensus("q", "", "ACG", 1.0);
  Motif target = from_consensus("t", "", "TACGT", 1.0);
  CompareSettings s = with(ColumnSimilarity::pearson, 3);
  Alignment a = best_alignment(query, target, s);
  EXPECT_DOUBLE_EQ(a.similarity, 1.0);
  EXPECT_DOUBLE_EQ(a.score, 3.0);
  EXPECT_EQ(a.offset, 1);  // query column 0 lies on target column 1
  EXPECT_EQ(a.overlap, 3);
  EXPECT_FALSE(a.reverse);
  // CGT is found on the reverse complement of TACGT (ACGTA) at offset 1.
  Alignment r = best_alignment(from_consensus("q", "", "CGTA", 1.0), from_consensus("t", "", "GGTACGAA", 1.0), s);
  EXPECT_DOUBLE_EQ(r.similarity, 1.0);
  EXPECT_TRUE(r.reverse);  // reverse complement of GGTACGAA is TTCGTACC: CGTA at offset 2
  EXPECT_EQ(r.offset, 2);
  // A query longer than the target: negative offsets.
  Alignment n = best_alignment(from_consensus("q", "", "GGACG", 1.0), from_consensus("t", "", "ACGT", 1.0), s);
  EXPECT_EQ(n.offset, -2);
  EXPECT_EQ(n.overlap, 3);
  EXPECT_DOUBLE_EQ(n.similarity, 1.0);
}

TEST(CompareAlignment, ColumnSimilaritiesByHand) {
  Motif q{"q", "", {{0.7, 0.1, 0.1, 0.1}, {0.1, 0.2, 0.3, 0.4}}, std::nullopt};
  Motif t{"t", "", {{0.4, 0.3, 0.2, 0.1}, {0.1, 0.1, 0.1, 0.7}}, std::nullopt};
  Motif trc = reverse_complement(t);
  auto best_of = [&](auto column) {
    double plus = (column(q.rows[0], t.rows[0]) + column(q.rows[1], t.rows[1])) / 2;
    double minus = (column(q.rows[0], trc.rows[0]) + column(q.rows[1], trc.rows[1])) / 2;
    return std::pair{std::max(plus, minus), minus > plus};
  };
  auto [p, p_reverse] = best_of(pearson);
  Alignment a = best_alignment(q, t, with(ColumnSimilarity::pearson, 2));
  EXPECT_NEAR(a.similarity, p, 1e-12);
  EXPECT_NEAR(a.score, 2 * p, 1e-12);
  EXPECT_EQ(a.reverse, p_reverse);
  auto squared = [](const Column& x, const Column& y) {
    double d = 0;
    for (int k = 0; k < 4; ++k) d += (x[k] - y[k]) * (x[k] - y[k]);
    return d;
  };
  auto euclid = [&](const Column& x, const Column& y) { return 1 - std::sqrt(squared(x, y) / 2); };
  auto sandelin = [&](const Column& x, const Column& y) { return 2 - squared(x, y); };
  EXPECT_DOUBLE_EQ(best_alignment(q, q, with(ColumnSimilarity::euclidean, 2)).similarity, 1.0);
  EXPECT_NEAR(best_alignment(q, t, with(ColumnSimilarity::euclidean, 2)).similarity, best_of(euclid).first, 1e-12);
  EXPECT_DOUBLE_EQ(best_alignment(q, q, with(ColumnSimilarity::sandelin, 2)).similarity, 2.0);
  EXPECT_NEAR(best_alignment(q, t, with(ColumnSimilarity::sandelin, 2)).similarity, best_of(sandelin).first, 1e-12);
  // A uniform column correlates with nothing.
  Motif u{"u", "", {{0.25, 0.25, 0.25, 0.25}}, std::nullopt};
  EXPECT_DOUBLE_EQ(best_alignment(u, u, with(ColumnSimilarity::pearson, 1)).similarity, 0.0);
}

TEST(TomtomNull, GridLevelsByHand) {
  ScoreGrid grid(-1, 1, 100);  // a level is 0.02 wide
  EXPECT_EQ(grid.level(-1), 0);
  EXPECT_EQ(grid.level(1), 100);
  EXPECT_EQ(grid.level(0), 50);
  EXPECT_EQ(grid.level(0.0109), 51);  // 50.545 rounds up
  EXPECT_EQ(grid.level(0.0089), 50);  // 50.445 rounds down
  EXPECT_EQ(ScoreGrid(0.3, 0.3, 100).level(0.3), 0);  // one score: all at level 0
}

TEST(TomtomNull, SumOfLevelsByHand) {
  // X1 in {0: 1/2, 2: 1/2}, X2 in {0: 1/4, 1: 3/4}: the sum is 0 (1/8), 1 (3/8), 2 (1/8), 3 (3/8).
  LevelSum sum;
  sum.add({0.5, 0.0, 0.5});
  sum.add({0.25, 0.75});
  const std::vector<double> expected = {1.0 / 8, 3.0 / 8, 1.0 / 8, 3.0 / 8};
  ASSERT_EQ(sum.distribution().size(), 4u);
  for (size_t k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(sum.distribution()[k], expected[k]);
  std::vector<double> tails;
  sum.tails(tails);
  EXPECT_DOUBLE_EQ(tails[0], 1.0);
  EXPECT_DOUBLE_EQ(tails[2], 0.5);
  EXPECT_DOUBLE_EQ(tails[3], 3.0 / 8);
  // A tiny tail keeps its precision (summed from the top, not 1 - the rest).
  sum.clear();
  for (int i = 0; i < 30; ++i) sum.add({1 - 1e-9, 1e-9});
  sum.tails(tails);
  EXPECT_NEAR(tails[30] / 1e-270, 1.0, 1e-9);
  EXPECT_NEAR(tails[29] / (30 * 1e-261), 1.0, 1e-6);
}

TEST(CompareQvalues, BenjaminiHochbergByHand) {
  // Sorted: 0.01 0.02 0.03 0.5 -> 0.04 0.04 0.04 0.5; given in another order.
  std::vector<double> q = benjamini_hochberg({0.5, 0.02, 0.01, 0.03});
  EXPECT_DOUBLE_EQ(q[0], 0.5);
  EXPECT_DOUBLE_EQ(q[1], 0.04);
  EXPECT_DOUBLE_EQ(q[2], 0.04);
  EXPECT_DOUBLE_EQ(q[3], 0.04);
  EXPECT_TRUE(benjamini_hochberg({}).empty());
}

TEST(CompareSettingsCheck, RejectsBadSettings) {
  CompareSettings s;
  s.min_overlap = 0;
  EXPECT_THROW(MotifComparer({}, s), UsageError);
  s = {};
  s.bins = 0;
  EXPECT_THROW(MotifComparer({}, s), UsageError);
  s.bins = 10001;
  EXPECT_THROW(MotifComparer({}, s), UsageError);
  s = {};
  s.shuffles = 0;
  EXPECT_THROW(MotifComparer({}, s), UsageError);
}

class JasparMeanShuffle : public ::testing::Test {
 protected:
  void SetUp() override {
    SEQDL_SHARED_OR_SKIP(path, "jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant.meme");
    db_ = read_motifs(path);
  }
  MotifComparer comparer(uint64_t seed) const {
    CompareSettings s = with(ColumnSimilarity::pearson, 5, CompareMethod::mean_shuffle);
    s.seed = seed;
    return MotifComparer(db_.motifs, s);
  }
  const Motif& motif(const std::string& id) const {
    for (const Motif& m : db_.motifs) {
      if (m.id == id) return m;
    }
    throw std::runtime_error(id);
  }
  MotifFile db_;
};

TEST_F(JasparMeanShuffle, CtcfFindsItselfAtTheSmallestPvalue) {
  MotifComparer c = comparer(1);
  EXPECT_EQ(c.null_size(), db_.motifs.size() * 10);
  auto matches = c.compare(motif("MA0139.1"));
  const Match& best = matches[0];
  EXPECT_EQ(c.database()[best.target].id, "MA0139.1");
  EXPECT_DOUBLE_EQ(best.alignment.similarity, 1.0);
  EXPECT_EQ(best.alignment.overlap, 19);
  // Nothing in the null reaches a perfect self-match: the smallest p-value possible.
  EXPECT_DOUBLE_EQ(best.pvalue, 1.0 / (1 + static_cast<double>(c.null_size())));
  EXPECT_DOUBLE_EQ(best.evalue, best.pvalue * static_cast<double>(db_.motifs.size()));
}

TEST_F(JasparMeanShuffle, RandomMotifIsNotSignificantAndPvaluesAreSeeded) {
  Rng rng(2024);
  Motif random{"random", "", {}, std::nullopt};
  for (int i = 0; i < 10; ++i) {
    Column c;
    double sum = 0;
    for (double& v : c) sum += v = 0.2 + rng.uniform();
    for (double& v : c) v /= sum;
    random.rows.push_back(c);
  }
  MotifComparer a = comparer(7), b = comparer(7), c = comparer(8);
  auto ma = a.compare(random), mb = b.compare(random), mc = c.compare(random);
  EXPECT_GT(ma[0].evalue, 0.3);  // the best of 746 unrelated motifs: an E-value around 1
  ASSERT_EQ(ma.size(), mb.size());
  bool differs = false;
  for (size_t k = 0; k < ma.size(); ++k) {
    EXPECT_EQ(ma[k].target, mb[k].target);
    EXPECT_EQ(ma[k].pvalue, mb[k].pvalue);
    differs = differs || ma[k].pvalue != mc[k].pvalue;
  }
  EXPECT_TRUE(differs);  // another seed, another null
}

}  // namespace
}  // namespace seqdl::motif
