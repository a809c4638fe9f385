// Training checkpoints, written after every epoch (atomically, beside the model): everything an interrupted
// run needs to continue exactly as if it had not stopped: weights, optimiser moments, the schedule, early
// stopping state, the best weights so far, LibTorch's random generator and the epoch log. A checkpoint is
// tied to the options that made it; resuming with different ones is refused.
#pragma once

#include <torch/torch.h>

#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/tensor_archive.hpp"
#include "train/train.hpp"

namespace seqdl::train {

struct Checkpoint {
  nlohmann::json fingerprint;  // the options that must match to resume
  int epoch = 0;               // epochs completed
  int64_t steps = 0;
  int best_epoch = 0;
  double best_score = std::numeric_limits<double>::lowest();  // the task's early-stopping score (higher is better)
  std::vector<std::pair<std::string, double>> best_metrics;
  int bad_epochs = 0;
  std::vector<double> schedule;
  std::vector<EpochLog> log;
  nn::NamedTensors model, best_model, optimizer;
  torch::Tensor rng_state;
};

void save_checkpoint(const std::string& path, const Checkpoint& c);
Checkpoint load_checkpoint(const std::string& path);

// LibTorch's default CPU generator (dropout draws from it).
torch::Tensor torch_rng_state();
void set_torch_rng_state(const torch::Tensor& state);

}  // namespace seqdl::train
