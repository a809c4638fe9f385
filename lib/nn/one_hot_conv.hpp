// A network's first convolution computed from base indices instead of one-hot floats. With one-hot input a
// convolution is a sum of weight columns picked by the bases: out[:, j] = bias + sum_k W[:, base(j + k), k].
// That is 4x fewer operations than the dense product (and no work at all for N), and its weight gradient is a
// scatter-add of the output gradient; both are exact up to floating-point summation order.
//
// Indices: uint8 [batch, length], 0..3 for A, C, G, T; any other value is an all-zero column (N).
#pragma once

#include <torch/torch.h>

namespace seqdl::nn {

inline constexpr uint8_t kNoBase = 4;

// Differentiable in weight and bias (the indices are data). Parallel over the batch; deterministic for a given
// thread count.
torch::Tensor one_hot_conv1d(const torch::Tensor& indices, const torch::Tensor& weight, const torch::Tensor& bias,
                             int64_t stride, int64_t dilation, int64_t padding);

// The same convolution followed by a max over all positions ([batch, out_channels]), without materialising the
// convolution's output: DeepBind's detector layer. Only the winning position's taps receive gradient, as in
// a max pool.
torch::Tensor one_hot_conv1d_max(const torch::Tensor& indices, const torch::Tensor& weight, const torch::Tensor& bias,
                                 int64_t stride, int64_t dilation, int64_t padding);

// Base indices of one-hot float input [batch, 4, length] (columns that are not exactly one-hot: kNoBase).
torch::Tensor indices_from_one_hot(const torch::Tensor& x);

// One-hot floats from indices.
torch::Tensor one_hot_from_indices(const torch::Tensor& indices);

}  // namespace seqdl::nn
