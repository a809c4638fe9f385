#include <gtest/gtest.h>

#include <torch/torch.h>

#include "nn/one_hot_conv.hpp"

namespace seqdl::nn {
namespace {

// Random bases with some N (index 4), as uint8 [batch, length].
torch::Tensor random_indices(int64_t batch, int64_t length) {
  auto idx = torch::randint(0, 5, {batch, length}).to(torch::kUInt8);
  return idx;
}

// The dense reference: LibTorch's own convolution of the one-hot floats.
struct Case {
  int64_t out, kernel, stride, dilation, padding;
};

}  // namespace

TEST(OneHotConv, EqualsDenseConvolutionForwardAndBackward) {
  torch::manual_seed(1);
  for (Case c : {Case{16, 24, 1, 1, 0}, Case{300, 19, 1, 1, 0}, Case{5, 7, 2, 1, 3}, Case{33, 5, 1, 3, 0}, Case{8, 15, 1, 1, 7}}) {
    SCOPED_TRACE(testing::Message() << "out " << c.out << " kernel " << c.kernel << " stride " << c.stride
                                    << " dilation " << c.dilation << " padding " << c.padding);
    auto idx = random_indices(6, 80);
    auto x = one_hot_from_indices(idx);
    auto w1 = torch::randn({c.out, 4, c.kernel}, torch::requires_grad());
    auto b1 = torch::randn({c.out}, torch::requires_grad());
    auto w2 = w1.detach().clone().requires_grad_(true), b2 = b1.detach().clone().requires_grad_(true);
    auto dense = torch::conv1d(x, w1, b1, c.stride, c.padding, c.dilation);
    auto gather = one_hot_conv1d(idx, w2, b2, c.stride, c.dilation, c.padding);
    ASSERT_EQ(dense.sizes(), gather.sizes());
    EXPECT_TRUE(torch::allclose(dense, gather, 1e-5, 1e-5));
    auto upstream = torch::randn_like(dense);
    (dense * upstream).sum().backward();
    (gather * upstream).sum().backward();
    EXPECT_TRUE(torch::allclose(w1.grad(), w2.grad(), 1e-4, 1e-4));
    EXPECT_TRUE(torch::allclose(b1.grad(), b2.grad(), 1e-4, 1e-4));
  }
}

TEST(OneHotConv, FusedMaxEqualsConvolutionThenMax) {
  torch::manual_seed(2);
  auto idx = random_indices(9, 101);
  auto x = one_hot_from_indices(idx);
  auto w1 = torch::randn({16, 4, 24}, torch::requires_grad()), b1 = torch::randn({16}, torch::requires_grad());
  auto w2 = w1.detach().clone().requires_grad_(true), b2 = b1.detach().clone().requires_grad_(true);
  auto dense = std::get<0>(torch::conv1d(x, w1, b1).max(2));
  auto fused = one_hot_conv1d_max(idx, w2, b2, 1, 1, 0);
  EXPECT_TRUE(torch::allclose(dense, fused, 1e-5, 1e-5));
  auto upstream = torch::randn_like(dense);
  (dense * upstream).sum().backward();
  (fused * upstream).sum().backward();
  EXPECT_TRUE(torch::allclose(w1.grad(), w2.grad(), 1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(b1.grad(), b2.grad(), 1e-4, 1e-4));
}

TEST(OneHotConv, IndicesRoundTrip) {
  auto idx = random_indices(3, 17);
  auto back = indices_from_one_hot(one_hot_from_indices(idx));
  EXPECT_TRUE(torch::equal(back, idx));
  // A column that is not exactly one base (uniform N) is no base.
  auto x = torch::zeros({1, 4, 2});
  x.index_put_({0, torch::indexing::Slice(), 0}, 0.25);
  x[0][2][1] = 1;
  auto i = indices_from_one_hot(x);
  EXPECT_EQ(i[0][0].item<int>(), kNoBase);
  EXPECT_EQ(i[0][1].item<int>(), 2);
}

}  // namespace seqdl::nn
