// Data-parallel training over PyTorch's c10d with the Gloo backend (both in Debian's LibTorch): processes
// started by any launcher (srun, a shell loop, torchrun-style environments) find each other through a
// TCPStore at MASTER_ADDR:MASTER_PORT, then every training step averages their gradients with bucketed
// all-reduces. Every collective waits at most the --dist-timeout, so a rank that dies or hangs ends the others
// with an error naming the rank and the timeout instead of a hang.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "train/train.hpp"

namespace seqdl::train {

// The group this process belongs to, from the options (world > 0) or else the environment: RANK (or
// SLURM_PROCID, then LOCAL_RANK), WORLD_SIZE (or SLURM_STEP_NUM_TASKS inside an srun step), MASTER_ADDR and
// MASTER_PORT (default 29500). Without any of them: rank 0 of 1. UsageError for a value that is not a number,
// a rank outside [0, world) or a missing MASTER_ADDR when world > 1.
DistributedOptions resolve_distributed(const DistributedOptions& options);

// One process's membership of the group. World 1: no sockets, every call returns at once. Not thread-safe:
// the training thread alone calls it, and every rank makes the same calls in the same order.
class ProcessGroup {
 public:
  // Rendezvous and Gloo's pairwise connections; std::runtime_error (exit status 1) naming the rank and the
  // timeout when the others do not all arrive in time.
  explicit ProcessGroup(const DistributedOptions& resolved);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return o_.rank; }
  int world() const { return o_.world; }
  bool active() const { return o_.world > 1; }

  // Replaces `gradients` (a flat float32 buffer holding the gradient of this rank's mean loss over `examples`)
  // by the gradient of the mean loss over every rank's examples of the step: all-reduced in buckets of at most
  // kBucketBytes, in flight together. Ranks with unequal batches (the last step of an epoch) are weighted by
  // their examples, so the step equals one process's step over the union of the batches.
  void average_gradients(torch::Tensor& gradients, int64_t examples);
  // Sums of `values` over the ranks (float64), e.g. the epoch's loss and example counts.
  std::vector<double> sum(const std::vector<double>& values, const char* what);
  // Rank 0's `values` on every rank (its validation results).
  std::vector<double> broadcast(const std::vector<double>& values, const char* what);
  // Rank 0's values of `tensor` (contiguous float32) on every rank, in place.
  void broadcast(torch::Tensor& tensor, const char* what);
  // The mean over ranks of each tensor (floating-point; in place), e.g. batch norm running statistics.
  void average(const std::vector<torch::Tensor>& tensors, const char* what);
  // Rank 0's `text` on every rank, through the rendezvous store (`key` names it; one use per key).
  std::string rank0_text(const std::string& key, const std::string& text, const char* what);
  // Every rank reaches this point (the end of training, after rank 0 wrote the model).
  void barrier(const char* what);

  static constexpr int64_t kBucketBytes = 4 << 20;

 private:
  struct Impl;
  DistributedOptions o_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seqdl::train
