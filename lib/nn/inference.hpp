// Batched inference over base codes: one-hot batches built straight into LibTorch tensors, run through a
// model, collected. Used by validation during training, evaluate, predict and interpretation.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string_view>

#include "encode/one_hot.hpp"
#include "nn/model.hpp"

namespace seqdl::nn {

// One-hot [n, 4, length] float32 of n sequences of `length` bases stored back to back in `codes`.
torch::Tensor one_hot_tensor(std::string_view codes, int64_t n, int64_t length, const encode::OneHotTable& table);

// Base indices [n, length] uint8 (see one_hot_conv.hpp) of n sequences stored back to back.
torch::Tensor index_tensor(std::string_view codes, int64_t n, int64_t length);

// The model's input for n sequences: base indices when N and IUPAC codes are zero columns (the fast path of
// zoo networks), else one-hot floats with the table's values.
torch::Tensor model_input(std::string_view codes, int64_t n, int64_t length, const encode::OneHotTable& table);
torch::Tensor run_model(Model& model, const torch::Tensor& input);

// Logits of the model for n sequences of the model's input length stored back to back, batch by batch:
// [n, tasks] or [n, tasks, positions], float32.
torch::Tensor predict_codes(Model& model, std::string_view codes, int64_t n, int64_t batch,
                            const encode::OneHotTable& table);

}  // namespace seqdl::nn
