// Known answers on JASPAR 2020 CORE vertebrates (../shared/data; skipped when absent) with Tomtom's method, the
// default: every motif finds itself first, CTCF trimmed at both ends still finds MA0139.1, and the USF1 E-box
// GTCACGTGAC finds CACGTG bHLH factors first and ranks JASPAR's USF1 and USF2 well above where the mean-shuffle
// method ranks them.
#include <gtest/gtest.h>

#include <set>

#include "common/test_support.hpp"
#include "motif/compare.hpp"
#include "motif/motif_io.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

// CACGTG-binding bHLH factors (JASPAR names without "(var.N)").
const std::set<std::string> kEboxFactors = {
    "USF1", "USF2", "MAX", "MAX::MYC", "MYC", "MYCN", "MNT", "MLX", "MLXIPL", "Mlxip", "TFE3", "TFEB", "TFEC",
    "MITF", "BHLHE40", "BHLHE41", "HEY1", "HEY2", "CLOCK", "Npas2", "ARNT", "Arnt", "Arntl", "ARNT2", "SREBF1",
    "SREBF2", "HES1", "HES2", "HES5", "HES6", "HES7", "BHLHE22", "BHLHE23"};

class JasparTomtom : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string path = std::string(SEQDL_SHARED_DATA) + "/jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant.meme";
    if (std::filesystem::exists(path)) db_ = new MotifFile(read_motifs(path));
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  void SetUp() override {
    if (db_ == nullptr) GTEST_SKIP() << "../shared/data/jaspar_meme is absent here";
  }
  static const Motif& motif(const std::string& id) {
    for (const Motif& m : db_->motifs) {
      if (m.id == id) return m;
    }
    throw std::runtime_error(id);
  }
  static std::string factor(const Motif& m) { return m.name.substr(0, m.name.find("(var.")); }
  // 1-based rank of the database motif `id` among the matches.
  static size_t rank_of(const std::vector<Match>& matches, const std::string& id) {
    for (size_t k = 0; k < matches.size(); ++k) {
      if (db_->motifs[matches[k].target].id == id) return k + 1;
    }
    return 0;
  }
  static MotifFile* db_;
};
MotifFile* JasparTomtom::db_ = nullptr;

TEST_F(JasparTomtom, EveryMotifFindsItselfFirst) {
  MotifComparer comparer(db_->motifs, CompareSettings{});
  EXPECT_EQ(comparer.null_size(), 2 * 8983u);  // every column of the 746 motifs, both strands
  size_t tied = 0;
  for (size_t d = 0; d < db_->motifs.size(); ++d) {
    const Motif& m = db_->motifs[d];
    std::vector<Match> matches = comparer.compare(m);
    ASSERT_EQ(matches[0].target, d) << m.label() << " found " << db_->motifs[matches[0].target].label();
    EXPECT_EQ(matches[0].alignment.offset, 0) << m.label();
    EXPECT_EQ(matches[0].alignment.overlap, static_cast<int>(m.width())) << m.label();
    EXPECT_NEAR(matches[0].alignment.similarity, 1.0, 1e-12) << m.label();
    EXPECT_LT(matches[0].evalue, 0.01) << m.label();  // at most 0.0068 (FOXI1, short and AT-rich)
    // No other motif has a smaller E-value; a near-identical matrix on the same grid levels may tie.
    EXPECT_LE(matches[0].evalue, matches[1].evalue) << m.label();
    if (matches[1].evalue == matches[0].evalue) ++tied;
  }
  EXPECT_LT(tied, 40u);  // 26 at the default 100 levels per column (BATF and BATF::JUN, CEBPB and CEBPE, ...)
}

TEST_F(JasparTomtom, TrimmedCtcfStillFindsMa0139) {
  const Motif& ctcf = motif("MA0139.1");
  MotifComparer comparer(db_->motifs, CompareSettings{});
  for (int k = 1; k <= 4; ++k) {
    Motif trimmed = ctcf;
    trimmed.rows.assign(ctcf.rows.begin() + k, ctcf.rows.end() - k);
    std::vector<Match> matches = comparer.compare(trimmed);
    const Match& best = matches[0];
    EXPECT_EQ(db_->motifs[best.target].id, "MA0139.1") << k << " trimmed";
    EXPECT_EQ(best.alignment.offset, k);
    EXPECT_EQ(best.alignment.overlap, 19 - 2 * k);
    EXPECT_FALSE(best.alignment.reverse);
    EXPECT_LT(best.evalue, 1e-10) << k;
    EXPECT_GT(matches[1].evalue, 1e3 * best.evalue) << k;  // far ahead of the next (CTCFL)
    std::vector<Match> rc = comparer.compare(reverse_complement(trimmed));
    EXPECT_EQ(db_->motifs[rc[0].target].id, "MA0139.1");
    EXPECT_TRUE(rc[0].alignment.reverse);
  }
}

TEST_F(JasparTomtom, UsfEboxRanksUsfAboveTheMeanMethod) {
  // The pattern `motifs discover` finds in a USF1 DeepBind's attributions, as a PWM of 0.85 on each base.
  Motif ebox = from_consensus("ebox", "", "GTCACGTGAC", 0.85);
  MotifComparer tomtom(db_->motifs, CompareSettings{});
  CompareSettings mean_settings;
  mean_settings.method = CompareMethod::mean_shuffle;
  MotifComparer mean(db_->motifs, mean_settings);
  std::vector<Match> t = tomtom.compare(ebox), m = mean.compare(ebox);
  for (size_t k = 0; k < 10; ++k) {
    EXPECT_TRUE(kEboxFactors.count(factor(db_->motifs[t[k].target]))) << k + 1 << " " << db_->motifs[t[k].target].label();
  }
  EXPECT_LT(t[0].evalue, 0.01);
  // JASPAR 2020's USF matrices read GTCATGTGAC (one half-site CATGTG): E-box factors whose consensus is the
  // query's own (BHLHE41 RTCACGTGAC, MITF, TFEB, ARNT2) come first, USF2 5th and USF1 6th; the mean method puts
  // 6-column E-boxes (Arnt) and 5-column nuclear-receptor half-sites ahead and the USFs 14th and 16th.
  size_t usf1 = rank_of(t, "MA0093.3"), usf2 = rank_of(t, "MA0526.3");
  EXPECT_LE(std::min(usf1, usf2), 6u);
  EXPECT_LE(std::max(usf1, usf2), 8u);
  EXPECT_LT(usf1, rank_of(m, "MA0093.3"));
  EXPECT_LT(usf2, rank_of(m, "MA0526.3"));
  EXPECT_GT(rank_of(t, "MA0004.1"), std::max(usf1, usf2));  // Arnt, CACGTG alone: first by the mean method
  // JASPAR's own USF consensus finds USF1 and USF2 first.
  std::vector<Match> u = tomtom.compare(from_consensus("usf", "", "GTCATGTGAC", 0.85));
  std::set<std::string> top2 = {db_->motifs[u[0].target].id, db_->motifs[u[1].target].id};
  EXPECT_EQ(top2, (std::set<std::string>{"MA0093.3", "MA0526.3"}));
}

TEST_F(JasparTomtom, EboxFromCountsMatchesBhlhFactors) {
  // CACGTG from 20 made-up sites with a little noise, flanked by a weak position on each side.
  Motif ebox = from_counts("ebox", "", {{6, 4, 6, 4}, {1, 17, 1, 1}, {18, 0, 1, 1}, {0, 19, 1, 0},
                                        {0, 1, 19, 0}, {1, 1, 0, 18}, {1, 1, 17, 1}, {4, 6, 4, 6}}, "test");
  MotifComparer comparer(db_->motifs, CompareSettings{});
  auto matches = comparer.compare(ebox);
  for (size_t k = 0; k < 5; ++k) EXPECT_TRUE(kEboxFactors.count(factor(db_->motifs[matches[k].target]))) << k;
  EXPECT_LT(matches[0].evalue, 0.5);
}

TEST_F(JasparTomtom, RandomMotifIsNotSignificantAndRunsAreIdentical) {
  Rng rng(2024);
  Motif random{"random", "", {}, std::nullopt};
  for (int i = 0; i < 10; ++i) {
    Column c;
    double sum = 0;
    for (double& v : c) sum += v = 0.2 + rng.uniform();
    for (double& v : c) v /= sum;
    random.rows.push_back(c);
  }
  MotifComparer a(db_->motifs, CompareSettings{}), b(db_->motifs, CompareSettings{});
  auto ma = a.compare(random), mb = b.compare(random);
  EXPECT_GT(ma[0].evalue, 0.1);  // the best of 746 unrelated motifs (0.23)
  EXPECT_GT(ma[0].qvalue, 0.1);
  ASSERT_EQ(ma.size(), mb.size());
  for (size_t k = 0; k < ma.size(); ++k) {
    EXPECT_EQ(ma[k].target, mb[k].target);
    EXPECT_EQ(ma[k].pvalue, mb[k].pvalue);
  }
}

}  // namespace
}  // namespace seqdl::motif
