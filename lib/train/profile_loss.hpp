// Losses of coverage models, as the reference recipes define them (../shared/bench/reference/bpnet.py):
//   profile models  multinomial NLL of each channel's counts under softmax(profile logits), with its factorial
//                   terms (log N! - sum log n_i! - sum n_i log p_i), summed over channels and averaged over the
//                   batch, plus lambda x the mean squared error of log(1 + total) per channel (BPNet, ChromBPNet)
//   track models    Poisson NLL with a log link (rate = exp(output); the constant log(t!) included), or MSE of
//                   output against log(1 + target), averaged over bins, channels and the batch (Basenji-style)
#pragma once

#include <torch/torch.h>

#include "train/profile_options.hpp"

namespace seqdl::train {

struct ProfileLossParts {
  torch::Tensor total, mnll, mse;  // scalars
};

// logits [B, C, L], log_counts [B, C], counts [B, C, L].
ProfileLossParts profile_loss(const torch::Tensor& logits, const torch::Tensor& log_counts, const torch::Tensor& counts,
                              double counts_weight);
// Per example and channel [B, C]: the multinomial NLL.
torch::Tensor multinomial_nll(const torch::Tensor& logits, const torch::Tensor& counts);

// outputs and targets [B, C, bins].
torch::Tensor track_loss(const torch::Tensor& outputs, const torch::Tensor& targets, TrackLoss loss);
// The predicted coverage of a bin from the model's output (exp for Poisson, expm1 for MSE on log(1 + t)).
torch::Tensor track_prediction(const torch::Tensor& outputs, TrackLoss loss);

}  // namespace seqdl::train
