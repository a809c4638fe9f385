// Acceptor/donor metrics of per-base scores: a hand-computed case, exact scores against scikit-learn, and score bins
// against scikit-learn on the truncated scores (numpy clears the same float32 bits).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "common/test_support.hpp"
#include "evaluate/site_scores.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::evaluate {
namespace {

class SiteScoresTest : public test::TempDir {};

// sklearn's average_precision_score and roc_auc_score of class `cls` over rows "acceptor donor label", with the
// scores truncated as BinnedSiteScores does when `truncate`.
std::pair<double, double> sklearn(const std::string& path, int cls, bool truncate) {
  const std::string script =
      "import numpy as np, sys\n"
      "from sklearn.metrics import average_precision_score as ap, roc_auc_score as auc\n"
      "d = np.loadtxt(sys.argv[1], dtype=np.float64)\n"
      "c = int(sys.argv[2]); s = d[:, c - 1].astype(np.float32)\n"
      "if sys.argv[3] == '1': s = ((s.view(np.uint32) >> 9) << 9).view(np.float32)\n"
      "y = d[:, 2] == c\n"
      "print(repr(ap(y, s.astype(np.float64))), repr(auc(y, s.astype(np.float64))))\n";
  std::ofstream(path + ".py") << script;
  std::string out = test::run_command(fmt::format("/usr/bin/python3 {}.py {} {} {}", path, path, cls, truncate ? 1 : 0));
  double a = 0, b = 0;
  std::sscanf(out.c_str(), "%lf %lf", &a, &b);
  return {a, b};
}

}  // namespace

TEST(SiteScores, HandComputed) {
  // Acceptor scores, descending: 0.9 (acceptor), 0.8 (donor), 0.7 (acceptor), 0.1 (neither).
  // AP = 1/2 x 1 + 1/2 x 2/3 = 5/6; top-k with k = 2: one of the two highest is an acceptor.
  const float acceptor[] = {0.1f, 0.9f, 0.8f, 0.7f};
  const float donor[] = {0.0f, 0.2f, 0.6f, 0.0f};
  const uint8_t labels[] = {0, 1, 2, 1};
  for (int binned = 0; binned < 2; ++binned) {
    std::unique_ptr<SiteScores> s;
    if (binned) {
      s = std::make_unique<BinnedSiteScores>();
    } else {
      s = std::make_unique<ExactSiteScores>();
    }
    s->add(acceptor, donor, labels, 2);
    s->add(acceptor + 2, donor + 2, labels + 2, 2);
    EXPECT_EQ(s->positions(), 4u);
    auto a = s->metrics(1);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->positives, 2u);
    EXPECT_DOUBLE_EQ(a->prevalence, 0.5);
    EXPECT_NEAR(*a->auprc, 5.0 / 6.0, 1e-12) << binned;
    EXPECT_NEAR(*a->auroc, 0.75, 1e-12);
    EXPECT_DOUBLE_EQ(a->top_k->accuracy, 0.5);
    EXPECT_EQ(a->top_k->k, 2u);
    auto d = s->metrics(2);  // the one donor scores highest
    EXPECT_DOUBLE_EQ(*d->auprc, 1.0);
    EXPECT_DOUBLE_EQ(d->top_k->accuracy, 1.0);
  }
}

TEST(SiteScores, UnscoredClassesAndBadScores) {
  const float a[] = {0.5f, 0.25f};
  const uint8_t labels[] = {1, 0};
  ExactSiteScores exact;
  exact.add(a, nullptr, labels, 2);
  EXPECT_TRUE(exact.metrics(1));
  EXPECT_FALSE(exact.metrics(2));
  EXPECT_FALSE(exact.metrics(2));
  const float nan[] = {std::nanf(""), 0.1f};
  EXPECT_THROW(exact.add(nan, nullptr, labels, 2), InputError);
  BinnedSiteScores binned;
  const float above[] = {1.5f, 0.1f};
  EXPECT_THROW(binned.add(above, nullptr, labels, 2), InputError);
  // No positive: AUPRC undefined, never NaN.
  const uint8_t none[] = {0, 0};
  BinnedSiteScores empty;
  empty.add(a, a, none, 2);
  EXPECT_FALSE(empty.metrics(1)->auprc);
  EXPECT_FALSE(empty.metrics(1)->top_k);
}

TEST(SiteScores, TruncationClearsTheLowBits) {
  EXPECT_EQ(BinnedSiteScores::truncated(1.0f), 1.0f);
  EXPECT_EQ(BinnedSiteScores::truncated(0.0f), 0.0f);
  const float x = 0.123456789f;
  const float t = BinnedSiteScores::truncated(x);
  EXPECT_LE(t, x);
  EXPECT_LT((x - t) / x, 1.0 / (1 << 14));
  uint32_t bits = 0;
  std::memcpy(&bits, &t, 4);
  EXPECT_EQ(bits & 0x1FFu, 0u);
}

TEST_F(SiteScoresTest, ExactAndBinnedAgreeWithScikitLearn) {
  // 20,000 positions: rare sites scored higher on average, many tied and near-tied scores (a few decimals).
  Rng rng(5);
  const size_t n = 20000;
  std::vector<float> acceptor(n), donor(n);
  std::vector<uint8_t> labels(n);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t u = rng.below(1000);
    labels[i] = u < 5 ? 1 : u < 10 ? 2 : 0;
    const double noise = rng.uniform();
    acceptor[i] = static_cast<float>(labels[i] == 1 ? 0.3 + 0.7 * noise : noise * noise * 0.5);
    donor[i] = static_cast<float>(labels[i] == 2 ? 0.2 + 0.8 * noise : (i % 7 == 0 ? 0.125 : noise * 0.4));
    if (i % 11 == 0) acceptor[i] = std::round(acceptor[i] * 100) / 100;  // ties
  }
  const std::string file = path("scores.txt");
  {
    std::ofstream f(file);
    f.precision(9);
    for (size_t i = 0; i < n; ++i) f << acceptor[i] << ' ' << donor[i] << ' ' << int(labels[i]) << '\n';
  }
  ExactSiteScores exact;
  BinnedSiteScores binned;
  for (size_t i = 0; i < n; i += 3000) {
    const size_t k = std::min<size_t>(3000, n - i);
    exact.add(acceptor.data() + i, donor.data() + i, labels.data() + i, k);
    binned.add(acceptor.data() + i, donor.data() + i, labels.data() + i, k);
  }
  for (int cls : {1, 2}) {
    auto [ap, auc] = sklearn(file, cls, false);
    EXPECT_NEAR(*exact.metrics(cls)->auprc, ap, 1e-12) << cls;
    EXPECT_NEAR(*exact.metrics(cls)->auroc, auc, 1e-12) << cls;
    auto [tap, tauc] = sklearn(file, cls, true);
    EXPECT_NEAR(*binned.metrics(cls)->auprc, tap, 1e-12) << cls;
    EXPECT_NEAR(*binned.metrics(cls)->auroc, tauc, 1e-12) << cls;
    EXPECT_NEAR(*binned.metrics(cls)->auprc, ap, 1e-3) << cls;  // the truncation moves little
  }
}

}  // namespace seqdl::evaluate
