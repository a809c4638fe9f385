// Optimisers over one flat buffer: every parameter of the network is a view into one contiguous tensor, and
// every gradient a view into another, so that an Adam/AdamW/SGD step, gradient clipping and zeroing are a
// handful of tensor operations whatever the number of parameter tensors. For small models (DeepBind) this
// per-step overhead is what bounds training speed.
#pragma once

#include <torch/torch.h>

#include <string>

#include "train/train.hpp"
#include <vector>

namespace seqdl::train {

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::adam;
  double lr = 1e-3;
  double weight_decay = 0.0;  // adam: L2 added to the gradient; adamw: decoupled; sgd: L2
  double momentum = 0.9;      // sgd
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
};

class FlatOptimizer {
 public:
  // Rebinds the parameters' storage (values kept) and gradients into flat buffers.
  FlatOptimizer(std::vector<torch::Tensor> parameters, OptimizerOptions options);

  void zero_grad() { grads_.zero_(); }
  // Scales gradients so that their global L2 norm is at most max_norm; returns the norm before clipping.
  double clip_grad_norm(double max_norm);
  void step(double lr);

  int64_t steps() const { return steps_; }
  // The flat buffers every parameter and gradient is a view of (distributed training all-reduces them).
  torch::Tensor& values() { return values_; }
  torch::Tensor& gradients() { return grads_; }
  // The state a checkpoint needs: step count and moment buffers.
  std::vector<std::pair<std::string, torch::Tensor>> state() const;
  void load_state(const std::vector<std::pair<std::string, torch::Tensor>>& state, int64_t steps);

 private:
  OptimizerOptions o_;
  torch::Tensor values_, grads_, m_, v_;
  int64_t steps_ = 0;
};

// Learning rate schedules: constant, reduce-on-plateau (on validation AUPRC), cosine with linear warm-up.
struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::none;
  double factor = 0.5;        // plateau
  int patience = 1;           // plateau: epochs without improvement before reducing
  double min_lr = 0.0;
  int64_t warmup_steps = 0;   // cosine
  int64_t total_steps = 0;    // cosine
};

class Schedule {
 public:
  Schedule(double base_lr, ScheduleOptions options) : base_(base_lr), lr_(base_lr), o_(options) {}
  double lr() const { return lr_; }
  void at_step(int64_t step);            // cosine: the rate for optimiser step `step` (0-based)
  void after_epoch(double valid_metric);  // plateau
  // For checkpoints.
  std::vector<double> state() const { return {lr_, best_, static_cast<double>(bad_epochs_)}; }
  void load_state(const std::vector<double>& s);

 private:
  double base_, lr_;
  ScheduleOptions o_;
  double best_ = -1e300;
  int bad_epochs_ = 0;
};

}  // namespace seqdl::train
