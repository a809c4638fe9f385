// Tomtom's method against compare_reference.py (numpy, written from the method's description): for hand-made
// motifs and every column similarity, each query's best alignment per database motif (strand, offset, overlap,
// summed score and grid level), its p-value, the corrected p-value, the E-value and the q-value. The grid is the
// same on both sides, so the levels agree exactly and the p-values to rounding (1e-9 relative). Skipped where
// Debian's Python with numpy is not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <string>

#include "common/python_reference.hpp"
#include "motif/compare.hpp"
#include "motif/compare_tomtom.hpp"

namespace seqdl::motif {
using nlohmann::json;

namespace {

class CompareReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = test::run_python_reference("tests/unit/motif/compare_reference.py", "python3-numpy");
  }
  void SetUp() override { reference_.require(); }

  static Motif motif(const std::string& id, const json& rows) {
    Motif m{id, "", {}, std::nullopt};
    for (const json& r : rows) m.rows.push_back({r[0].get<double>(), r[1].get<double>(), r[2].get<double>(), r[3].get<double>()});
    return m;
  }

  static std::vector<Motif> database() {
    std::vector<Motif> db;
    for (const json& rows : reference_.data.at("database")) db.push_back(motif("t" + std::to_string(db.size()), rows));
    return db;
  }

  static inline test::PythonReference reference_;
};

void expect_relative(double actual, double expected, const std::string& what, double tol = 1e-9) {
  EXPECT_NEAR(actual, expected, tol * std::abs(expected) + 1e-300) << what;
}

}  // namespace

TEST_F(CompareReference, SumOfLevelsEqualsEnumeration) {
  const json& dp = reference_.data.at("dp");
  LevelSum sum;
  for (const json& c : dp.at("columns")) sum.add(c.get<std::vector<double>>());
  std::vector<double> tails;
  sum.tails(tails);
  auto expected = dp.at("tails").get<std::vector<double>>();
  ASSERT_EQ(tails.size(), expected.size());
  for (size_t t = 0; t < tails.size(); ++t) expect_relative(tails[t], expected[t], "tail " + std::to_string(t), 1e-12);
}

TEST_F(CompareReference, BestAlignmentsPvaluesEvaluesAndQvalues) {
  const std::vector<Motif> db = database();
  size_t checked = 0;
  for (const json& c : reference_.data.at("cases")) {
    CompareSettings s;
    s.similarity = parse_choice(kColumnSimilarityChoices, c.at("similarity").get<std::string>(), "similarity");
    s.min_overlap = c.at("min_overlap");
    s.bins = c.at("bins");
    MotifComparer comparer(db, s);
    for (const auto& [name, expected] : c.at("results").items()) {
      std::vector<Match> matches = comparer.compare(motif(name, reference_.data.at("queries").at(name)));
      ASSERT_EQ(matches.size(), expected.size());
      std::map<size_t, const Match*> by_target;
      for (const Match& m : matches) by_target[m.target] = &m;
      for (size_t t = 0; t < expected.size(); ++t) {
        const json& e = expected[t];
        const Match& m = *by_target.at(t);
        std::string what = c.at("similarity").get<std::string>() + " min_overlap " + std::to_string(s.min_overlap) +
                           " bins " + std::to_string(s.bins) + ": " + name + " vs t" + std::to_string(t);
        EXPECT_EQ(m.alignment.offset, e.at("offset").get<int>()) << what;
        EXPECT_EQ(m.alignment.reverse, e.at("reverse").get<bool>()) << what;
        EXPECT_EQ(m.alignment.overlap, e.at("overlap").get<int>()) << what;
        EXPECT_EQ(m.alignment.level, e.at("level").get<int>()) << what;
        EXPECT_EQ(m.alignments, e.at("n").get<int>()) << what;
        EXPECT_NEAR(m.alignment.score, e.at("score").get<double>(), 1e-9) << what;
        expect_relative(m.alignment.pvalue, e.at("p_align"), what + " p_align");
        expect_relative(m.pvalue, e.at("p"), what + " p");
        expect_relative(m.evalue, e.at("e"), what + " E");
        expect_relative(m.qvalue, e.at("q"), what + " q");
        ++checked;
      }
      for (size_t k = 1; k < matches.size(); ++k) EXPECT_LE(matches[k - 1].pvalue, matches[k].pvalue) << name;
    }
  }
  EXPECT_EQ(checked, 5u * 4u * 10u);  // cases x queries x database motifs
}

TEST_F(CompareReference, NoisyReverseCopyFindsItsSource) {
  // Query "noisy_copy" is columns 1..8 of t5, reverse-complemented and blurred.
  MotifComparer comparer(database(), CompareSettings{});
  std::vector<Match> matches = comparer.compare(motif("noisy_copy", reference_.data.at("queries").at("noisy_copy")));
  EXPECT_EQ(matches[0].target, 5u);
  EXPECT_TRUE(matches[0].alignment.reverse);
  EXPECT_EQ(matches[0].alignment.overlap, 8);
  EXPECT_EQ(matches[0].alignment.offset, 1);  // t5's reverse complement (10 columns): columns 1..8
  EXPECT_LT(matches[0].evalue, matches[1].evalue);
}

}  // namespace seqdl::motif
