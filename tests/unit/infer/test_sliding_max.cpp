#include <gtest/gtest.h>

#include <torch/torch.h>

#include <limits>

#include "infer/sliding_max.hpp"

namespace seqdl::infer {
namespace {

// torch::max_pool1d is the reference: every width and step against it, with ties (rounded values) and lengths
// that do and do not end on a block boundary.
TEST(SlidingMax, EqualsMaxPool1d) {
  torch::manual_seed(3);
  for (int64_t length : {1, 7, 80, 81, 500, 1003}) {
    auto x = torch::round(torch::randn({1, 5, length}) * 4);
    for (int64_t width : {1, 2, 3, 16, 78, 80}) {
      if (width > length) continue;
      for (int64_t step : {1, 2, 5, 48, 79, 100}) {
        SCOPED_TRACE(::testing::Message() << "length " << length << " width " << width << " step " << step);
        auto want = torch::max_pool1d(x, width, step);
        auto got = sliding_max(x, width, step);
        ASSERT_EQ(got.sizes(), want.sizes());
        EXPECT_TRUE(torch::equal(got, want));
      }
    }
  }
}

TEST(SlidingMax, NotANumberPropagatesLikeMaxPool1d) {
  auto x = torch::randn({1, 2, 300});
  x[0][0][10] = std::numeric_limits<float>::quiet_NaN();
  x[0][1][299] = std::numeric_limits<float>::quiet_NaN();
  auto want = torch::max_pool1d(x, 40, 3);
  auto got = sliding_max(x, 40, 3);
  EXPECT_TRUE(torch::equal(torch::isnan(got), torch::isnan(want)));
  auto finite = ~torch::isnan(want);
  EXPECT_TRUE(torch::equal(got.masked_select(finite), want.masked_select(finite)));
}

TEST(SlidingMax, NoWindowFitsGivesNoOutput) {
  EXPECT_EQ(sliding_max(torch::zeros({1, 3, 10}), 11, 1).size(2), 0);
}

}  // namespace
}  // namespace seqdl::infer
