// `seqdl motifs discover` numbers against discover_reference.py (numpy and scikit-learn, written from the
// documented definitions): the Laplace fit, isotonic regression and the FDR threshold, seqlet calling on
// window sums, the continuous Jaccard similarity, CWM averaging and the perplexity kernel. Skipped where
// Debian's Python with scikit-learn is not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "common/python_reference.hpp"
#include "motif/discover_affinity.hpp"
#include "motif/discover_patterns.hpp"
#include "motif/discover_seqlets.hpp"
#include "motif/discover_similarity.hpp"

namespace seqdl::motif {
using nlohmann::json;

namespace {

class DiscoverReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = test::run_python_reference("tests/unit/motif/discover_reference.py", "python3-sklearn");
  }
  void SetUp() override { reference_.require(); }

  static const json& ref(const char* kind) { return reference_.data.at(kind); }

  static inline test::PythonReference reference_;
};

void expect_close(double actual, double expected, const std::string& what, double tol = 1e-9) {
  EXPECT_NEAR(actual, expected, tol * std::max(1.0, std::abs(expected))) << what;
}

double threshold_or_inf(const json& v) { return v.is_null() ? std::numeric_limits<double>::infinity() : v.get<double>(); }

}  // namespace

TEST_F(DiscoverReference, LaplaceFitOfEachSide) {
  for (const char* kind : {"laplace", "laplace_shifted"}) {
    LaplaceFit fit = fit_laplace(ref(kind).at("values").get<std::vector<float>>());
    expect_close(fit.location, ref(kind).at("location"), std::string(kind) + " location");
    expect_close(fit.positive_scale, ref(kind).at("positive"), std::string(kind) + " positive scale");
    expect_close(fit.negative_scale, ref(kind).at("negative"), std::string(kind) + " negative scale");
  }
}

TEST_F(DiscoverReference, IsotonicRegressionMatchesScikitLearn) {
  const json& c = ref("isotonic");
  auto fitted = isotonic_increasing(c.at("x").get<std::vector<double>>(), c.at("y").get<std::vector<double>>(),
                                    c.at("w").get<std::vector<double>>());
  auto expected = c.at("fitted").get<std::vector<double>>();
  ASSERT_EQ(fitted.size(), expected.size());
  for (size_t i = 0; i < fitted.size(); ++i) expect_close(fitted[i], expected[i], "fitted[" + std::to_string(i) + "]");
}

TEST_F(DiscoverReference, IsotonicFdrThreshold) {
  const json& c = ref("threshold");
  auto observed = c.at("observed").get<std::vector<double>>();
  auto null = laplace_null(c.at("scale").get<double>(), observed.size());
  EXPECT_EQ(isotonic_threshold(observed, null, c.at("fdr").get<double>()), threshold_or_inf(c.at("expected")));
  EXPECT_EQ(isotonic_threshold(observed, null, c.at("fdr_small").get<double>()), threshold_or_inf(c.at("expected_small")));
}

TEST_F(DiscoverReference, SeqletCallingOnWindowSums) {
  const json& c = ref("calling");
  SeqletOptions o;
  o.window = c.at("window");
  o.flank = c.at("flank");
  o.target_fdr = c.at("fdr");
  o.min_fraction = c.at("min_fraction");
  o.max_fraction = c.at("max_fraction");
  auto sums = c.at("sums").get<std::vector<float>>();
  SeqletCall call = call_seqlets_from_sums(sums, c.at("rows"), c.at("starts"), o);
  expect_close(call.positive_threshold, c.at("positive_threshold"), "positive threshold");
  expect_close(call.negative_threshold, c.at("negative_threshold"), "negative threshold");
  const json& expected = c.at("seqlets");
  ASSERT_EQ(call.seqlets.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(call.seqlets[i].row, expected[i][0].get<int64_t>()) << i;
    EXPECT_EQ(call.seqlets[i].start, expected[i][1].get<int64_t>()) << i;
    EXPECT_EQ(call.seqlets[i].end, expected[i][2].get<int64_t>()) << i;
    EXPECT_FLOAT_EQ(call.seqlets[i].score, expected[i][3].get<float>()) << i;
  }
  // Pure noise: the passing fraction is clamped up to the minimum.
  const json& q = ref("calling_clamped");
  SeqletCall quiet = call_seqlets_from_sums(q.at("sums").get<std::vector<float>>(), c.at("rows"), c.at("starts"), o);
  EXPECT_EQ(quiet.clamp, "lowered to the minimum fraction");
  expect_close(quiet.positive_threshold, q.at("positive_threshold"), "clamped threshold");
  EXPECT_EQ(quiet.seqlets.size(), q.at("count").get<size_t>());
  // Every window lifted by 2: thresholds are distances from the median, and the same windows stand out.
  const json& l = ref("calling_lifted");
  SeqletCall lifted = call_seqlets_from_sums(l.at("sums").get<std::vector<float>>(), c.at("rows"), c.at("starts"), o);
  expect_close(lifted.positive_threshold, l.at("positive_threshold"), "lifted positive threshold");
  expect_close(lifted.negative_threshold, l.at("negative_threshold"), "lifted negative threshold");
  ASSERT_EQ(lifted.seqlets.size(), l.at("seqlets").size());
  for (size_t i = 0; i < lifted.seqlets.size(); ++i) {
    EXPECT_EQ(lifted.seqlets[i].row, l.at("seqlets")[i][0].get<int64_t>()) << i;
    EXPECT_EQ(lifted.seqlets[i].start, l.at("seqlets")[i][1].get<int64_t>()) << i;
  }
}

TEST_F(DiscoverReference, ContinuousJaccardAtOffsetsAndBestPlacement) {
  const json& c = ref("jaccard");
  auto x = c.at("x").get<std::vector<float>>(), y = c.at("y").get<std::vector<float>>();
  const int wx = c.at("wx"), wy = c.at("wy");
  double tx = 0, ty = 0;
  for (float v : x) tx += std::abs(v);
  for (float v : y) ty += std::abs(v);
  auto offsets = c.at("offsets").get<std::vector<int>>();
  auto values = c.at("values").get<std::vector<double>>();
  for (size_t i = 0; i < offsets.size(); ++i) {
    expect_close(continuous_jaccard(x.data(), wx, tx, y.data(), wy, ty, offsets[i]), values[i],
                 "offset " + std::to_string(offsets[i]), 1e-5);
  }
  std::vector<float> rc(y.size());
  reverse_complement_track(y.data(), y.size(), rc.data());
  Placement p = best_placement(x.data(), wx, tx, y.data(), rc.data(), wy, ty, c.at("min_overlap"));
  expect_close(p.similarity, c.at("best")[0], "best similarity", 1e-5);
  EXPECT_EQ(p.offset, c.at("best")[1].get<int>());
  EXPECT_EQ(p.reverse, c.at("best")[2].get<int>() == 1);
}

TEST_F(DiscoverReference, CwmAveragingOfPlacedSeqlets) {
  const json& c = ref("cwm");
  SeqletTracks t;
  t.width = c.at("width");
  auto contribution = c.at("contribution").get<std::vector<float>>();
  t.count = contribution.size() / t.stride();
  t.contribution = contribution;
  t.hypothetical = c.at("hypothetical").get<std::vector<float>>();
  t.bases = c.at("bases").get<std::vector<uint8_t>>();
  t.normalised.assign(contribution.size(), 0);
  t.total.assign(t.count, 1);
  std::vector<Member> members;
  for (const json& m : c.at("members")) members.push_back({m[0].get<uint32_t>(), m[1].get<int>(), m[2].get<int>() == 1, 0});
  PatternOptions keep_all;  // no trimming: every position is supported and >= 0 bits
  keep_all.min_support = 0;
  keep_all.trim_ic = 0;
  keep_all.trim_fraction = 0;
  keep_all.max_width = 1000;
  Pattern p = build_pattern(t, members, keep_all);
  auto cwm = c.at("cwm").get<std::vector<double>>(), hyp = c.at("hypothetical_cwm").get<std::vector<double>>(),
       ppm = c.at("ppm").get<std::vector<double>>();
  ASSERT_EQ(p.cwm.size(), cwm.size());
  for (size_t k = 0; k < cwm.size(); ++k) {
    expect_close(p.cwm[k], cwm[k], "cwm[" + std::to_string(k) + "]", 1e-6);
    expect_close(p.hypothetical[k], hyp[k], "hypothetical[" + std::to_string(k) + "]", 1e-6);
    expect_close(p.ppm[k], ppm[k], "ppm[" + std::to_string(k) + "]", 1e-12);
  }
  auto coverage = c.at("coverage").get<std::vector<double>>();
  for (size_t q = 0; q < coverage.size(); ++q) EXPECT_EQ(p.coverage[q], coverage[q]) << q;
  // Offsets are rebased on the pattern's first position.
  for (size_t i = 0; i < members.size(); ++i) EXPECT_EQ(p.members[i].offset, members[i].offset + c.at("shift").get<int>());
}

TEST_F(DiscoverReference, PerplexityKernel) {
  const json& c = ref("kernel");
  auto p = perplexity_kernel(c.at("distances").get<std::vector<double>>(), c.at("perplexity"));
  auto expected = c.at("p").get<std::vector<double>>();
  ASSERT_EQ(p.size(), expected.size());
  for (size_t j = 0; j < p.size(); ++j) EXPECT_NEAR(p[j], expected[j], 1e-5) << j;
}

}  // namespace seqdl::motif
