#include "interpret/saliency_methods.hpp"

namespace seqdl::interpret {
namespace {

// d score / d input for a batch of one-hot (or interpolated) inputs [B, 4, L].
torch::Tensor input_gradient(nn::Model& model, const Target& target, const torch::Tensor& x) {
  auto input = x.detach().clone().requires_grad_(true);
  auto score = target.score(model.forward_heads(input)[target.head()]);
  return torch::autograd::grad({score.sum()}, {input})[0];
}

torch::Tensor scores(nn::Model& model, const Target& target, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  return target.score(model.forward_heads(x)[target.head()]);
}

// |sum of attributions - output change| relative to the change (1e-6 at least).
torch::Tensor completeness_error(const torch::Tensor& attributions, const torch::Tensor& change) {
  auto total = attributions.sum({1, 2});
  return (total - change).abs() / torch::clamp_min(change.abs(), 1e-6);
}

}  // namespace

Explained gradient_method(nn::Model& model, const Target& target, SaliencyMethod method, const torch::Tensor& x) {
  auto grad = input_gradient(model, target, x);
  Explained e;
  e.attributions = method == SaliencyMethod::gradient ? grad : grad * x;
  // Gradients are mean-normalised over the four bases (a uniform reference), as TF-MoDISco expects.
  e.hypothetical = hypothetical_against(grad, torch::full_like(x, 0.25));
  e.score = scores(model, target, x);
  e.baseline_score = torch::zeros({x.size(0)});
  return e;
}

Explained integrated_gradients(nn::Model& model, const Target& target, int steps, const torch::Tensor& x,
                               const torch::Tensor& references) {
  const int64_t refs = references.size(1);
  Explained e{torch::zeros_like(x), torch::zeros_like(x), scores(model, target, x), torch::zeros({x.size(0)}), {}};
  for (int64_t r = 0; r < refs; ++r) {
    auto base = references.select(1, r);
    auto mean_grad = torch::zeros_like(x);
    for (int k = 0; k < steps; ++k) {
      double alpha = (k + 0.5) / steps;  // midpoint rule on the straight path from the baseline to the input
      mean_grad += input_gradient(model, target, base + alpha * (x - base));
    }
    mean_grad /= steps;
    e.attributions += (x - base) * mean_grad;
    e.hypothetical += hypothetical_against(mean_grad, base);
    e.baseline_score += scores(model, target, base);
  }
  e.attributions /= static_cast<double>(refs);
  e.hypothetical /= static_cast<double>(refs);
  e.baseline_score /= static_cast<double>(refs);
  e.error = completeness_error(e.attributions, e.score - e.baseline_score);
  return e;
}

Explained deep_shap(DeepLift& deeplift, const torch::Tensor& x, const torch::Tensor& references) {
  DeepLiftResult r = deeplift.explain(x, references);
  return {r.contributions, r.hypothetical, r.score, r.reference_score, r.worst_error};
}

}  // namespace seqdl::interpret
