#include "train/adam_kernel.hpp"

#include <cmath>

namespace seqdl::train {

// Compiled with -fno-math-errno (sqrt never sees a negative number here) so that the square root vectorises.
__attribute__((target_clones("avx512f", "avx2", "default"))) void adam_update(float* __restrict__ p,
                                                                              const float* __restrict__ g,
                                                                              float* __restrict__ m,
                                                                              float* __restrict__ v, int64_t n,
                                                                              const AdamStep& s) {
  for (int64_t i = 0; i < n; ++i) {
    float grad = g[i] + s.l2 * p[i];
    float mi = m[i] * s.beta1 + s.one_minus_beta1 * grad;
    float vi = v[i] * s.beta2 + s.one_minus_beta2 * grad * grad;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] * s.decay + s.neg_step_size * (mi / (std::sqrt(vi) / s.bias2_sqrt + s.eps));
  }
}

}  // namespace seqdl::train
