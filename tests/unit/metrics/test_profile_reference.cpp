// Profile metrics against scipy and numpy: profile_reference.py writes seeded profiles and what
// scipy.spatial.distance.jensenshannon, scipy.stats.pearsonr/spearmanr and numpy.nanmedian give for them; the
// accumulator must agree to 1e-9. Hand-computed cases run without Python. Skipped where Debian's Python with
// scipy is not installed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "common/python_reference.hpp"
#include "metrics/profile.hpp"

namespace seqdl::metrics {
using nlohmann::json;

TEST(ProfileMetrics, HandComputedCases) {
  // Disjoint distributions: sqrt(log 2); identical ones: 0; scale does not matter.
  std::vector<double> a{1, 0}, b{0, 1}, c{2, 6}, d{1, 3};
  EXPECT_NEAR(jensen_shannon_distance(a, b), std::sqrt(std::log(2.0)), 1e-12);
  EXPECT_NEAR(jensen_shannon_distance(c, d), 0.0, 1e-12);
  EXPECT_TRUE(std::isnan(jensen_shannon_distance(std::vector<double>{0, 0}, d)));
  EXPECT_NEAR(pearson(std::vector<double>{1, 2, 3}, std::vector<double>{2, 4, 6}), 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(pearson(std::vector<double>{1, 1, 1}, std::vector<double>{2, 4, 6})));
  EXPECT_EQ(average_ranks(std::vector<double>{3, 1, 3, 2}), (std::vector<double>{3.5, 1, 3.5, 2}));
  EXPECT_DOUBLE_EQ(nan_median({5, NAN, 1, 3}), 3);
  EXPECT_DOUBLE_EQ(nan_median({4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(nan_median({NAN})));
}

class ScipyReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = test::run_python_reference("tests/unit/metrics/profile_reference.py", "python3-scipy");
  }
  void SetUp() override { reference_.require(); }
  static const json& ref() { return reference_.data; }
  static inline test::PythonReference reference_;
};

TEST_F(ScipyReference, AccumulatorAgreesWithScipy) {
  const int64_t length = ref()["length"];
  const auto observed = ref()["observed"].get<std::vector<std::vector<double>>>();
  const auto probs = ref()["probabilities"].get<std::vector<std::vector<double>>>();
  const auto lc = ref()["predicted_log_counts"].get<std::vector<double>>();
  ProfileAccumulator acc({ref()["baseline"].get<std::vector<double>>()});
  for (size_t i = 0; i < observed.size(); ++i) {
    std::vector<float> o(observed[i].begin(), observed[i].end()), p(probs[i].begin(), probs[i].end());
    acc.add(0, o.data(), p.data(), length, lc[i]);
  }
  for (size_t i = 0; i < observed.size(); ++i) {
    if (ref()["jsd"][i].is_null()) {
      EXPECT_TRUE(std::isnan(acc.jsd()[i])) << i;
      continue;
    }
    EXPECT_NEAR(acc.jsd()[i], ref()["jsd"][i].get<double>(), 1e-9) << i;
    EXPECT_NEAR(acc.baseline_jsd()[i], ref()["baseline_jsd"][i].get<double>(), 1e-9) << i;
    EXPECT_NEAR(acc.profile_pearson()[i], ref()["profile_pearson"][i].get<double>(), 1e-9) << i;
  }
  ProfileSummary s = acc.summary();
  EXPECT_EQ(s.with_counts, ref()["with_counts"].get<uint64_t>());
  EXPECT_NEAR(s.counts_pearson, ref()["counts_pearson"].get<double>(), 1e-9);
  EXPECT_NEAR(s.counts_spearman, ref()["counts_spearman"].get<double>(), 1e-9);
  EXPECT_NEAR(s.counts_mse, ref()["counts_mse"].get<double>(), 1e-9);
  EXPECT_NEAR(s.jsd_median, ref()["jsd_median"].get<double>(), 1e-9);
  EXPECT_NEAR(s.profile_pearson_median, ref()["profile_pearson_median"].get<double>(), 1e-9);
  EXPECT_NEAR(s.baseline_jsd_median, ref()["baseline_jsd_median"].get<double>(), 1e-9);
}

TEST_F(ScipyReference, SpearmanTiesAndMedian) {
  const auto& t = ref()["spearman_ties"];
  EXPECT_NEAR(spearman(t["a"].get<std::vector<double>>(), t["b"].get<std::vector<double>>()), t["r"].get<double>(), 1e-12);
  EXPECT_DOUBLE_EQ(nan_median({4.0, NAN, 1.0, 3.0, 2.0}), ref()["median_even"].get<double>());
}

}  // namespace seqdl::metrics
