// The zoo's building blocks that LibTorch does not provide as such. Every block takes and returns
// [batch, channels, length] (or [batch, features] once flat), so that a spec is a plain list of layers.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace seqdl::nn {

struct ActivationImpl : torch::nn::Module {
  explicit ActivationImpl(std::string function) : fn(std::move(function)) {}
  torch::Tensor forward(const torch::Tensor& x);
  std::string fn;
};
TORCH_MODULE(Activation);

struct FlattenImpl : torch::nn::Module {
  torch::Tensor forward(const torch::Tensor& x) { return x.flatten(1); }
};
TORCH_MODULE(Flatten);

// Max or mean over positions: [B, C, L] -> [B, C].
struct GlobalPoolImpl : torch::nn::Module {
  explicit GlobalPoolImpl(bool use_max) : max(use_max) {}
  // max(dim) rather than amax: the same values, and a backward pass that is twice as fast.
  torch::Tensor forward(const torch::Tensor& x) { return max ? std::get<0>(x.max(2)) : x.mean(2); }
  bool max;
};
TORCH_MODULE(GlobalPool);

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

// SpliceAI's residual tower (Jaganathan et al. 2019): a 1x1 stem, residual units (BN, ReLU, dilated conv,
// twice) in groups, a 1x1 skip connection from the stem and after every group, summed, then `context / 2`
// positions cropped from each end. Output position j depends on input positions [j, j + context] only, so the
// tower behaves like one valid convolution of width context + 1.
struct SpliceAiTowerImpl : torch::nn::Module {
  SpliceAiTowerImpl(int64_t in_channels, int64_t channels, const std::vector<std::pair<int64_t, int64_t>>& units,
                    int64_t group, int64_t context);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv1d stem{nullptr};
  torch::nn::ModuleList skips, units;
  int64_t group, context;
};
TORCH_MODULE(SpliceAiTower);

}  // namespace seqdl::nn
