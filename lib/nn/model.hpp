// A model as every command runs it: a .seqdl file (a zoo or spec network) or a TorchScript file exported from
// PyTorch, with the same tensor interface: one-hot [batch, 4, length] in, logits out ([batch, tasks] or
// [batch, tasks, positions] per head). What commands need to know about it without LibTorch is its ModelInfo
// (nn/model_info.hpp).
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "nn/model_info.hpp"
#include "nn/network.hpp"

namespace seqdl::nn {

// Thread-safety: a Model is used by one thread at a time (forward runs LibTorch's intra-op threads itself).
// Callers hold torch::InferenceMode or torch::NoGradGuard unless they need gradients (saliency).
class Model {
 public:
  virtual ~Model() = default;
  const ModelInfo& info() const { return info_; }

  // Logits of every head for one-hot input [batch, 4, input_length] (float32). ModelError when a TorchScript
  // module fails or returns something other than tensors.
  virtual std::vector<torch::Tensor> forward_heads(const torch::Tensor& x) = 0;
  // The first head's logits.
  torch::Tensor forward(const torch::Tensor& x) { return forward_heads(x)[0]; }
  // The first head from base indices (uint8 [batch, length]; see one_hot_conv.hpp): faster for seqdl networks.
  virtual torch::Tensor forward_indices(const torch::Tensor& indices);
  // The seqdl network behind the model (shared-trunk scans and local-recompute ISM reason with its layers);
  // nullptr for a TorchScript module run as it is. Owned by the model.
  virtual NetworkImpl* network() { return nullptr; }

 protected:
  // Fills info_.heads from one forward pass on zeros, fills in default task names, and checks the result.
  void describe_outputs();
  ModelInfo info_;
};

// Opens a .seqdl or TorchScript file (decided by content). InputError for a missing file; ModelError for a
// foreign, corrupt or incompatible file or metadata that contradicts the network; UsageError when a TorchScript
// file leaves out what only flags can say (its input length) or a flag contradicts a .seqdl file.
std::unique_ptr<Model> open_model(const std::string& path, const ModelOverrides& overrides = {});

// A seqdl network wrapped as a Model (training and tests build these without a file). The model shares the
// network (LibTorch modules are reference-counted) and puts it in eval mode. ModelError when `info` contradicts
// the network's outputs.
std::unique_ptr<Model> wrap_network(Network network, ModelInfo info);
// A TorchScript module run as it is (its layers not visible to seqdl); puts it in eval mode.
std::unique_ptr<Model> wrap_torchscript(torch::jit::script::Module module, ModelInfo info);

// The line of a LibTorch exception that says what went wrong (its messages span many lines).
std::string torch_error(const std::exception& e);

}  // namespace seqdl::nn
