// Motif comparison: alignments by hand, known motifs finding themselves in JASPAR, and seeded p-values.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/test_support.hpp"
#include "motif/compare.hpp"
#include "motif/motif_io.hpp"
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

TEST(CompareAlignment, OffsetsOverlapAndStrandsByHand) {
  Motif query = from_consensus("q", "", "ACG", 1.0);
  Motif target = from_consensus("t", "", "TACGT", 1.0);
  CompareSettings s{ColumnSimilarity::pearson, 3};
  Alignment a = best_alignment(query, target, s);
  EXPECT_DOUBLE_EQ(a.similarity, 1.0);
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

TEST(CompareAlignment, MeanColumnSimilarityByHand) {
  Motif q{"q", "", {{0.7, 0.1, 0.1, 0.1}, {0.1, 0.2, 0.3, 0.4}}, std::nullopt};
  Motif t{"t", "", {{0.4, 0.3, 0.2, 0.1}, {0.1, 0.1, 0.1, 0.7}}, std::nullopt};
  CompareSettings s{ColumnSimilarity::pearson, 2};
  Alignment a = best_alignment(q, t, s);
  Motif trc = reverse_complement(t);
  double plus = (pearson(q.rows[0], t.rows[0]) + pearson(q.rows[1], t.rows[1])) / 2;
  double minus = (pearson(q.rows[0], trc.rows[0]) + pearson(q.rows[1], trc.rows[1])) / 2;
  EXPECT_NEAR(a.similarity, std::max(plus, minus), 1e-12);
  EXPECT_EQ(a.reverse, minus > plus);
  s.similarity = ColumnSimilarity::euclidean;
  Alignment e = best_alignment(q, q, s);
  EXPECT_DOUBLE_EQ(e.similarity, 1.0);
  auto euclid = [](const Column& x, const Column& y) {
    double d = 0;
    for (int k = 0; k < 4; ++k) d += (x[k] - y[k]) * (x[k] - y[k]);
    return 1 - std::sqrt(d / 2);
  };
  double eplus = (euclid(q.rows[0], t.rows[0]) + euclid(q.rows[1], t.rows[1])) / 2;
  double eminus = (euclid(q.rows[0], trc.rows[0]) + euclid(q.rows[1], trc.rows[1])) / 2;
  EXPECT_NEAR(best_alignment(q, t, s).similarity, std::max(eplus, eminus), 1e-12);
  // A uniform column correlates with nothing.
  Motif u{"u", "", {{0.25, 0.25, 0.25, 0.25}}, std::nullopt};
  EXPECT_DOUBLE_EQ(best_alignment(u, u, CompareSettings{ColumnSimilarity::pearson, 1}).similarity, 0.0);
}

class JasparCompare : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(SEQDL_SHARED_DATA) + "/jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant.meme";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "../shared/data is absent here (" << path << ")";
    db_ = read_motifs(path);
  }
  const Motif& motif(const std::string& id) const {
    for (const Motif& m : db_.motifs) {
      if (m.id == id) return m;
    }
    throw std::runtime_error(id);
  }
  MotifFile db_;
};

TEST_F(JasparCompare, CtcfFindsItselfOnBothStrands) {
  MotifComparer comparer(db_.motifs, {}, 10, 1);
  EXPECT_EQ(comparer.null_size(), db_.motifs.size() * 10);
  const Motif& ctcf = motif("MA0139.1");
  auto matches = comparer.compare(ctcf);
  const Match& best = matches[0];
  EXPECT_EQ(comparer.database()[best.target].id, "MA0139.1");
  EXPECT_DOUBLE_EQ(best.alignment.similarity, 1.0);
  EXPECT_EQ(best.alignment.offset, 0);
  EXPECT_EQ(best.alignment.overlap, 19);
  EXPECT_FALSE(best.alignment.reverse);
  // Nothing in the null reaches a perfect self-match: the smallest p-value possible.
  EXPECT_DOUBLE_EQ(best.pvalue, 1.0 / (1 + static_cast<double>(comparer.null_size())));
  EXPECT_DOUBLE_EQ(best.evalue, best.pvalue * static_cast<double>(db_.motifs.size()));

  auto rc = comparer.compare(reverse_complement(ctcf));
  EXPECT_EQ(comparer.database()[rc[0].target].id, "MA0139.1");
  EXPECT_TRUE(rc[0].alignment.reverse);
  EXPECT_DOUBLE_EQ(rc[0].alignment.similarity, 1.0);
  EXPECT_EQ(rc[0].alignment.offset, 0);
}

TEST_F(JasparCompare, EboxFromCountsMatchesABhlhFactor) {
  // CACGTG from 20 made-up sites with a little noise, flanked by a weak position on each side.
  Motif ebox = from_counts("ebox", "", {{6, 4, 6, 4}, {1, 17, 1, 1}, {18, 0, 1, 1}, {0, 19, 1, 0},
                                        {0, 1, 19, 0}, {1, 1, 0, 18}, {1, 1, 17, 1}, {4, 6, 4, 6}}, "test");
  MotifComparer comparer(db_.motifs, {}, 10, 1);
  auto matches = comparer.compare(ebox);
  const std::set<std::string> bhlh = {"USF1", "USF2", "MAX", "MAX::MYC", "MYC", "MYCN", "MNT", "MLX", "MLXIPL",
                                      "Mlxip", "TFE3", "TFEB", "TFEC", "MITF", "BHLHE40", "BHLHE41", "HEY1", "HEY2",
                                      "CLOCK", "Npas2", "ARNT", "Arnt", "Arntl", "ARNT2", "SREBF1", "SREBF2", "HES1",
                                      "HES2", "HES5", "HES6", "HES7", "BHLHE22", "BHLHE23"};
  auto factor = [&](size_t k) {  // the name without JASPAR's "(var.2)"
    const std::string& name = comparer.database()[matches[k].target].name;
    return name.substr(0, name.find("(var."));
  };
  EXPECT_TRUE(bhlh.count(factor(0))) << "top match " << factor(0);
  EXPECT_LT(matches[0].pvalue, 0.01);
  for (size_t k = 0; k < 5; ++k) EXPECT_TRUE(bhlh.count(factor(k))) << factor(k);
}

TEST_F(JasparCompare, RandomMotifIsNotSignificantAndPvaluesAreSeeded) {
  Rng rng(2024);
  Motif random{"random", "", {}, std::nullopt};
  for (int i = 0; i < 10; ++i) {
    Column c;
    double sum = 0;
    for (double& v : c) sum += v = 0.2 + rng.uniform();
    for (double& v : c) v /= sum;
    random.rows.push_back(c);
  }
  MotifComparer a(db_.motifs, {}, 10, 7), b(db_.motifs, {}, 10, 7), c(db_.motifs, {}, 10, 8);
  auto ma = a.compare(random), mb = b.compare(random), mc = c.compare(random);
  // The best of 746 unrelated motifs: an E-value around 1, far from the self-match's 0.1 floor.
  EXPECT_GT(ma[0].evalue, 0.3);
  for (const Match& m : ma) {
    if (a.database()[m.target].id == "MA0139.1") {
      EXPECT_GT(m.pvalue, 0.05);
    }
  }
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
