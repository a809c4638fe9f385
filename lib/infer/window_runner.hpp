// Model outputs for every window of a sequence chunk (a genome scan, or a batch of REF/ALT windows).
//
// Window by window is the reference computation: each window is cut out, encoded and run through the whole
// model, batch by batch. When the model is a seqdl network whose local layers (its trunk: convolutions, pools,
// crops, residual additions, batch norm and activations; nn/graph.hpp) give window-independent values at the
// positions the rest of the network reads, and the stride is a multiple of their resolution, overlapping windows
// share that work instead: the trunk runs once over the whole chunk and each window's trunk outputs are slices of
// the result (a global max or mean pool after the trunk becomes a sliding pool, as for DeepBind). Networks that are
// local from end to end with per-position outputs (SpliceAI) run over the chunk in one pass. Both are exact up to
// floating-point summation order.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "encode/one_hot.hpp"
#include "infer/window_geometry.hpp"
#include "nn/model.hpp"

namespace seqdl::infer {

// Ownership and threads: the runner refers to the model and the table (both must outlive it) and is used by one
// thread at a time, like the model.
class WindowRunner {
 public:
  // allow_shared = false: always window by window. Throws UsageError when --rc cannot apply (a per-position
  // model whose output is not centred in its input).
  WindowRunner(nn::Model& model, const WindowGeometry& geometry, Strands strands, bool logits, int64_t batch,
               const encode::OneHotTable& table, bool allow_shared = true);

  // Outputs of every head for `windows` windows whose bases (the chunk span, N-padded) are `codes` (at least
  // (windows - 1) * step + window bases): per head [windows, channels], or [windows, channels, positions] for
  // per-position heads (the first head's positions are the geometry's bin), float32. Probabilities (the model's
  // rule) unless logits; heads after the first are always logits. Runs under InferenceMode.
  std::vector<torch::Tensor> run_heads(const std::string& codes, int64_t windows);
  // The first head only.
  torch::Tensor run(const std::string& codes, int64_t windows) { return run_heads(codes, windows)[0]; }

  bool shared() const { return mode_ != Mode::windows; }
  const std::string& description() const { return description_; }
  // Largest chunk (in windows) that keeps activations within a memory budget.
  int64_t max_chunk_windows() const { return max_windows_; }

 private:
  enum class Mode { windows, trunk, whole };
  std::string plan_trunk(const nn::Graph& graph);
  std::vector<torch::Tensor> one_strand(const std::string& codes, int64_t windows);
  std::vector<torch::Tensor> by_windows(const std::string& codes, int64_t windows);
  std::vector<torch::Tensor> by_trunk(const std::string& codes, int64_t windows);
  std::vector<torch::Tensor> whole(const std::string& codes, int64_t windows);

  nn::Model& model_;
  WindowGeometry g_;
  Strands strands_;
  bool logits_;
  int64_t batch_;
  const encode::OneHotTable& table_;
  Mode mode_ = Mode::windows;
  std::vector<int> frontier_;  // trunk nodes that the head reads
  std::vector<int> pooled_;    // per frontier node: the global pool node reading it (-1: read as slices)
  std::vector<int> outputs_;   // the graph's output nodes
  int64_t max_windows_ = 4096;
  std::string description_;
};

}  // namespace seqdl::infer
