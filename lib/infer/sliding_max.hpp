// The max of every window of `width` positions, for windows starting at multiples of `step`, per channel of a
// [1, channels, length] float tensor: torch::max_pool1d(x, width, step), NaN-propagating like it, but in O(length)
// per channel whatever the width. DeepBind's global max pool slid along a chromosome is a width-78 pool at stride
// 1, where max_pool1d's 78 comparisons per output cost more than the convolution before it.
#pragma once

#include <torch/types.h>

namespace seqdl::infer {

torch::Tensor sliding_max(const torch::Tensor& x, int64_t width, int64_t step);

}  // namespace seqdl::infer
