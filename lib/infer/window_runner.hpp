// Model outputs for every window of a genome chunk.
//
// Window by window is the reference computation: each window is cut out, encoded and run through the whole
// model, batch by batch. When the model is a zoo network whose first layers are unpadded convolutions, pools,
// batch norm and activations (its trunk) and the stride is a multiple of the trunk's total pooling factor,
// overlapping windows share that work instead: the trunk runs once over the whole chunk and each window's trunk
// output is a slice of the result (a global max or mean pool after the trunk becomes a sliding pool, as for
// DeepBind). Networks that are local from end to end with per-position outputs (SpliceAI) run over the chunk
// in one pass. Both are exact up to floating-point summation order.
#pragma once

#include <torch/torch.h>

#include <string>

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

  // Outputs for `windows` windows whose bases (the chunk span, N-padded) are `codes` (at least
  // (windows - 1) * step + window bases): [windows, tasks], or [windows, tasks, bin] for per-position models,
  // float32. Probabilities unless logits. Runs under InferenceMode.
  torch::Tensor run(const std::string& codes, int64_t windows);

  bool shared() const { return mode_ != Mode::windows; }
  const std::string& description() const { return description_; }
  // Largest chunk (in windows) that keeps activations within a memory budget.
  int64_t max_chunk_windows() const { return max_windows_; }

 private:
  enum class Mode { windows, trunk_pool, trunk_cut, whole };
  torch::Tensor one_strand(const std::string& codes, int64_t windows);
  torch::Tensor by_windows(const std::string& codes, int64_t windows);
  torch::Tensor by_trunk(const std::string& codes, int64_t windows);
  torch::Tensor whole(const std::string& codes, int64_t windows);
  torch::Tensor head(const torch::Tensor& rows, size_t from);

  nn::Model& model_;
  WindowGeometry g_;
  Strands strands_;
  bool logits_;
  int64_t batch_;
  const encode::OneHotTable& table_;
  Mode mode_ = Mode::windows;
  size_t trunk_ = 0;         // layers in the shared trunk
  int64_t factor_ = 1;       // the trunk's total stride
  int64_t trunk_length_ = 0; // trunk output positions per window
  int64_t max_windows_ = 4096;
  std::string description_;
};

}  // namespace seqdl::infer
