// A network built from an ArchSpec: its layers in order, each with its input and output shapes and, for
// layers that act locally along the sequence, its kernel, stride and dilation. That description is what the
// shared-trunk genome scan and local-recompute ISM reason with.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "nn/spec.hpp"

namespace seqdl::nn {

// [channels, length] for sequence-shaped activations, or [channels] once flat ([batch, channels]).
struct Shape {
  int64_t channels = 0;
  int64_t length = 0;
  bool is_flat = false;
  bool flat() const { return is_flat; }
};

struct LayerInfo {
  std::string type;  // the spec's type ("conv", "maxpool", ...)
  Shape in, out;
  // Local layers: output position j reads input positions [j * stride - pad, j * stride - pad + span).
  bool local = false;
  int64_t span = 1, stride = 1, pad = 0;
  int64_t kernel = 1, dilation = 1;  // convolutions (span = dilation * (kernel - 1) + 1)
  bool position_wise = false;  // local with span 1 and stride 1 (activations, batch norm, dropout)
};

class NetworkImpl : public torch::nn::Module {
 public:
  // input_length and tasks override the spec's defaults. ModelError if the input is too short for the
  // layers (naming the layer where the sequence runs out).
  NetworkImpl(const ArchSpec& spec, int64_t input_length, int64_t tasks);

  torch::Tensor forward(const torch::Tensor& x);
  // The same from base indices (uint8 [batch, length], 0..3 = A, C, G, T, else N): the first convolution
  // then runs as a one-hot gather (one_hot_conv.hpp), several times faster than on one-hot floats.
  torch::Tensor forward_indices(const torch::Tensor& indices);
  // Runs layers [from, to) only.
  torch::Tensor forward_range(torch::Tensor x, size_t from, size_t to);
  // Runs layers [0, to) on one-hot floats or base indices (uint8, through the gather convolution).
  torch::Tensor forward_prefix(const torch::Tensor& input, size_t to);

  const std::vector<LayerInfo>& layers() const { return info_; }
  const ArchSpec& spec() const { return spec_; }
  int64_t input_length() const { return input_length_; }
  int64_t tasks() const { return tasks_; }
  Shape output_shape() const { return info_.back().out; }
  // The number of leading layers that are all local (the convolutional trunk).
  size_t trunk_size() const;
  int64_t parameter_count() const;

 private:
  ArchSpec spec_;
  int64_t input_length_, tasks_;
  std::vector<torch::nn::AnyModule> modules_;
  std::vector<LayerInfo> info_;
  torch::nn::Conv1d first_conv_{nullptr};  // layer 0 when it is a convolution over the 4 base channels
  // When the first convolution is followed by monotone activations and a global max pool (DeepBind), the max
  // is taken before the activations (they commute with it) inside one fused kernel: the index of that pool.
  size_t fused_max_pool_ = 0;
};
TORCH_MODULE(Network);

}  // namespace seqdl::nn
