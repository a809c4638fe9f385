#include "train/profile_loss.hpp"

namespace seqdl::train {

torch::Tensor multinomial_nll(const torch::Tensor& logits, const torch::Tensor& counts) {
  auto n = counts.sum(-1);
  auto log_pmf = torch::lgamma(n + 1) - torch::lgamma(counts + 1).sum(-1) + (counts * torch::log_softmax(logits, -1)).sum(-1);
  return -log_pmf;
}

ProfileLossParts profile_loss(const torch::Tensor& logits, const torch::Tensor& log_counts, const torch::Tensor& counts,
                              double counts_weight) {
  ProfileLossParts p;
  p.mnll = multinomial_nll(logits, counts).sum(1).mean();
  p.mse = (log_counts - torch::log1p(counts.sum(-1))).pow(2).mean();
  p.total = p.mnll + counts_weight * p.mse;
  return p;
}

torch::Tensor track_loss(const torch::Tensor& outputs, const torch::Tensor& targets, TrackLoss loss) {
  if (loss == TrackLoss::mse) return (outputs - torch::log1p(targets)).pow(2).mean();
  return (torch::exp(outputs) - targets * outputs + torch::lgamma(targets + 1)).mean();
}

torch::Tensor track_prediction(const torch::Tensor& outputs, TrackLoss loss) {
  return loss == TrackLoss::mse ? torch::clamp_min(torch::expm1(outputs), 0) : torch::exp(outputs);
}

}  // namespace seqdl::train
