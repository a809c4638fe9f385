// Batched inference over base codes: one-hot or index batches built straight into LibTorch tensors, run through
// a model, collected. Used by validation during training, evaluate, predict, interpretation and variants.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "encode/one_hot.hpp"
#include "nn/model.hpp"

namespace seqdl::infer {

// One-hot [n, 4, length] float32 of n sequences of `length` bases stored back to back in `codes`.
torch::Tensor one_hot_tensor(std::string_view codes, int64_t n, int64_t length, const encode::OneHotTable& table);

// Base indices [n, length] uint8 (see nn/one_hot_conv.hpp) of n sequences stored back to back.
torch::Tensor index_tensor(std::string_view codes, int64_t n, int64_t length);

// The model's input for n sequences: base indices when N and IUPAC codes are zero columns (the fast path of
// seqdl networks), else one-hot floats with the table's values.
torch::Tensor model_input(std::string_view codes, int64_t n, int64_t length, const encode::OneHotTable& table);
// The first head's logits for such an input.
torch::Tensor run_model(nn::Model& model, const torch::Tensor& input);
// Every head's logits for such an input.
std::vector<torch::Tensor> run_model_heads(nn::Model& model, const torch::Tensor& input);

// The first head's logits for n sequences of the model's input length stored back to back, batch by batch:
// [n, tasks] or [n, tasks, positions], float32. Runs under InferenceMode.
torch::Tensor predict_codes(nn::Model& model, std::string_view codes, int64_t n, int64_t batch,
                            const encode::OneHotTable& table);

}  // namespace seqdl::infer
