// A model as every command sees it: a .seqdl file (a zoo or spec network) or a TorchScript file exported from
// PyTorch, with the same tensor interface [batch, 4, length] -> [batch, tasks] or [batch, tasks, positions].
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"

namespace seqdl::nn {

struct ModelInfo {
  int64_t input_length = 0;
  std::vector<std::string> task_names;  // one per output (per class for multi-class)
  std::string task_type = "binary";     // binary | multilabel | multiclass
  bool per_position = false;            // output [batch, tasks, positions]
  int64_t output_positions = 0;         // per-position models: positions per window
  int64_t output_offset = 0;            // per-position models: input position of the first output
  std::string unknown = "zero";         // how the model was trained to see N (encoding)
  std::string source;                   // the file, for messages
  nlohmann::json metadata;              // the .seqdl metadata (empty for TorchScript without seqdl.json)
};

// Flags that fill in what a TorchScript file does not say (a .seqdl file says it all).
struct ModelOverrides {
  int64_t window = 0;                   // input length
  std::vector<std::string> task_names;
  std::string task_type;                // binary | multilabel | multiclass
};

class Model {
 public:
  virtual ~Model() = default;
  const ModelInfo& info() const { return info_; }
  // Logits for one-hot input [batch, 4, input_length]. Callers hold the inference/no-grad guard.
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  // The same from base indices (uint8 [batch, length]; see one_hot_conv.hpp): faster for zoo networks.
  virtual torch::Tensor forward_indices(const torch::Tensor& indices);
  // The zoo network behind a .seqdl model (shared-trunk scans and local-recompute ISM use its layers);
  // nullptr for TorchScript.
  virtual NetworkImpl* network() { return nullptr; }
  // Probabilities: softmax over classes for multi-class, else the sigmoid of each output.
  torch::Tensor probabilities(const torch::Tensor& logits) const;

 protected:
  // Fills in the output layout (per-position or not, task count) from one forward pass on zeros.
  void describe_outputs();
  ModelInfo info_;
};

// Opens a .seqdl or TorchScript file (decided by content). ModelError for a foreign, corrupt or incompatible
// file; UsageError when a TorchScript file leaves out what only flags can say (its input length).
std::unique_ptr<Model> open_model(const std::string& path, const ModelOverrides& overrides = {});

// A .seqdl network wrapped as a Model (training and tests build these without a file).
std::unique_ptr<Model> wrap_network(Network network, ModelInfo info);

}  // namespace seqdl::nn
