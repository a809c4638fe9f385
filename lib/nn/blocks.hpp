// The layers with weights that LibTorch does not provide as such (network.cpp runs the others itself). Every
// block takes and returns [batch, channels, length].
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace seqdl::nn {

// Bidirectional LSTM over positions: [B, C, L] -> [B, 2 * hidden, L].
struct BiLstmImpl : torch::nn::Module {
  BiLstmImpl(int64_t input, int64_t hidden, int64_t layers);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::LSTM lstm{nullptr};
};
TORCH_MODULE(BiLstm);

// Adds fixed sinusoidal position encodings (Vaswani et al. 2017) to [B, d, n].
struct PositionalEncodingImpl : torch::nn::Module {
  PositionalEncodingImpl(int64_t channels, int64_t length);
  torch::Tensor forward(const torch::Tensor& x) { return x + pe; }
  torch::Tensor pe;  // [1, d, n], a buffer
};
TORCH_MODULE(PositionalEncoding);

// One transformer encoder layer (self-attention + feed-forward with ReLU), pre- or post-norm, as PyTorch's
// nn.TransformerEncoderLayer. Works on [L, B, E] internally.
struct EncoderLayerImpl : torch::nn::Module {
  EncoderLayerImpl(int64_t d, int64_t heads, int64_t ff, double dropout, bool norm_first);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::MultiheadAttention attention{nullptr};
  torch::nn::Linear linear1{nullptr}, linear2{nullptr};
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Dropout dropout{nullptr}, dropout1{nullptr}, dropout2{nullptr};
  bool norm_first;
};
TORCH_MODULE(EncoderLayer);

// A stack of encoder layers: [B, C, L] -> [B, C, L].
struct TransformerEncoderImpl : torch::nn::Module {
  TransformerEncoderImpl(int64_t d, int64_t layers, int64_t heads, int64_t ff, double dropout, bool norm_first);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::ModuleList stack;
};
TORCH_MODULE(TransformerEncoder);


}  // namespace seqdl::nn
