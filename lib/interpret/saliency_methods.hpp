// The attribution methods of `seqdl saliency` on one batch, each from one-hot inputs [B, 4, L] (and references
// [B, R, 4, L] where the method has them). Internal to saliency.cpp.
#pragma once

#include <torch/torch.h>

#include "interpret/deeplift.hpp"
#include "interpret/saliency.hpp"
#include "interpret/target.hpp"
#include "nn/model.hpp"

namespace seqdl::interpret {

struct Explained {
  torch::Tensor attributions;           // [B, 4, L]: of the observed bases (or gradients, for `gradient`)
  torch::Tensor hypothetical;           // [B, 4, L]
  torch::Tensor score, baseline_score;  // [B]
  torch::Tensor error;                  // [B]: relative completeness error (undefined for gradient methods)
};

Explained gradient_method(nn::Model& model, const Target& target, SaliencyMethod method, const torch::Tensor& x);
Explained integrated_gradients(nn::Model& model, const Target& target, int steps, const torch::Tensor& x,
                               const torch::Tensor& references);
Explained deep_shap(DeepLift& deeplift, const torch::Tensor& x, const torch::Tensor& references);

}  // namespace seqdl::interpret
