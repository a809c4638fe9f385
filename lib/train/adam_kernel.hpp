// The Adam update as one pass over memory (no LibTorch: a plain loop the compiler vectorises).
#pragma once

#include <cstdint>

namespace seqdl::train {

struct AdamStep {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, bias2_sqrt, eps, neg_step_size;
  float l2;     // Adam's weight decay, added to the gradient
  float decay;  // AdamW's decoupled weight decay, multiplying the parameters
};

// Adam (Kingma & Ba) over n elements, in the operation order of PyTorch's implementation:
//   g += l2 * p;  m = m * b1 + (1 - b1) * g;  v = v * b2 + (1 - b2) * g * g;
//   p = p * decay - step_size * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
void adam_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamStep& s);

}  // namespace seqdl::train
