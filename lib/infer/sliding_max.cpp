#include "infer/sliding_max.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "util/error.hpp"

namespace seqdl::infer {
namespace {

inline float max_nan(float a, float b) { return b > a || std::isnan(b) ? b : a; }

// van Herk / Gil-Werman: cut the row into blocks of `width`. A window starting at s inside block [b, b + width)
// ends inside the next block, so its max is the max of block b's suffix from s and the next block's prefix up to
// its end. Each block's suffix and prefix maxima are computed once, in buffers of `width` that stay in cache.
void row_sliding_max(const float* row, int64_t length, int64_t width, int64_t step, int64_t outputs, float* out) {
  std::vector<float> suffix_buffer(static_cast<size_t>(width)), prefix_buffer(static_cast<size_t>(width));
  float* suffix = suffix_buffer.data();  // suffix[i - b]: max of row[i .. block end)
  float* prefix = prefix_buffer.data();  // prefix[i - next]: max of row[next .. i]
  int64_t j = 0;                         // the next output; window j starts at j * step
  for (int64_t b = 0; j < outputs; b += width) {
    const int64_t end = std::min(b + width, length), next = b + width, next_end = std::min(next + width, length);
    suffix[end - 1 - b] = row[end - 1];
    for (int64_t i = end - 2; i >= b; --i) suffix[i - b] = max_nan(row[i], suffix[i - b + 1]);
    if (next < next_end) {
      prefix[0] = row[next];
      for (int64_t i = next + 1; i < next_end; ++i) prefix[i - next] = max_nan(prefix[i - next - 1], row[i]);
    }
    for (; j < outputs && j * step < next; ++j) {
      const int64_t s = j * step;
      out[j] = s == b ? suffix[0] : max_nan(suffix[s - b], prefix[s + width - 1 - next]);
    }
  }
}

}  // namespace

torch::Tensor sliding_max(const torch::Tensor& x, int64_t width, int64_t step) {
  if (x.dim() != 3 || x.size(0) != 1 || x.scalar_type() != torch::kFloat32 || width < 1 || step < 1) {
    throw UsageError("sliding_max: expected a [1, channels, length] float tensor, width and step >= 1");
  }
  auto in = x.contiguous();
  const int64_t channels = in.size(1), length = in.size(2);
  const int64_t outputs = length >= width ? (length - width) / step + 1 : 0;
  auto out = torch::empty({1, channels, outputs}, in.options());
  const float* src = in.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  at::parallel_for(0, channels, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) row_sliding_max(src + c * length, length, width, step, outputs, dst + c * outputs);
  });
  return out;
}

}  // namespace seqdl::infer
