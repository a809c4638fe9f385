#include "nn/blocks.hpp"

#include <cmath>

#include "util/error.hpp"

namespace seqdl::nn {

BiLstmImpl::BiLstmImpl(int64_t input, int64_t hidden, int64_t layers) {
  lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(input, hidden)
                                                     .num_layers(layers)
                                                     .batch_first(true)
                                                     .bidirectional(true)));
}

torch::Tensor BiLstmImpl::forward(const torch::Tensor& x) {
  auto out = std::get<0>(lstm->forward(x.transpose(1, 2).contiguous()));
  return out.transpose(1, 2);
}

PositionalEncodingImpl::PositionalEncodingImpl(int64_t channels, int64_t length) {
  // pe[p, 2i] = sin(p / 10000^(2i/d)), pe[p, 2i+1] = cos(...), computed in float32 as PyTorch does.
  auto pos = torch::arange(length, torch::kFloat32).unsqueeze(1);
  auto div = torch::exp(torch::arange(0, channels, 2, torch::kFloat32) * (-std::log(10000.0) / static_cast<double>(channels)));
  auto table = torch::zeros({length, channels});
  table.index_put_({torch::indexing::Slice(), torch::indexing::Slice(0, torch::indexing::None, 2)}, torch::sin(pos * div));
  auto odd = torch::cos(pos * div).narrow(1, 0, channels / 2);
  table.index_put_({torch::indexing::Slice(), torch::indexing::Slice(1, torch::indexing::None, 2)}, odd);
  pe = register_buffer("pe", table.t().unsqueeze(0).contiguous());
}

EncoderLayerImpl::EncoderLayerImpl(int64_t d, int64_t heads, int64_t ff, double p, bool pre_norm)
    : norm_first(pre_norm) {
  if (d % heads != 0) throw ModelError("transformer_encoder: {} channels do not split into {} heads", d, heads);
  attention = register_module("attention", torch::nn::MultiheadAttention(torch::nn::MultiheadAttentionOptions(d, heads).dropout(p)));
  linear1 = register_module("linear1", torch::nn::Linear(d, ff));
  linear2 = register_module("linear2", torch::nn::Linear(ff, d));
  norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  dropout = register_module("dropout", torch::nn::Dropout(p));
  dropout1 = register_module("dropout1", torch::nn::Dropout(p));
  dropout2 = register_module("dropout2", torch::nn::Dropout(p));
}

torch::Tensor EncoderLayerImpl::forward(torch::Tensor x) {
  auto self_attention = [&](const torch::Tensor& h) {
    return dropout1(std::get<0>(attention->forward(h, h, h, {}, /*need_weights=*/false)));
  };
  auto feed_forward = [&](const torch::Tensor& h) { return dropout2(linear2(dropout(torch::relu(linear1(h))))); };
  if (norm_first) {
    x = x + self_attention(norm1(x));
    return x + feed_forward(norm2(x));
  }
  x = norm1(x + self_attention(x));
  return norm2(x + feed_forward(x));
}

TransformerEncoderImpl::TransformerEncoderImpl(int64_t d, int64_t layers, int64_t heads, int64_t ff, double dropout,
                                               bool norm_first) {
  stack = register_module("stack", torch::nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) stack->push_back(EncoderLayer(d, heads, ff, dropout, norm_first));
}

torch::Tensor TransformerEncoderImpl::forward(const torch::Tensor& x) {
  auto h = x.permute({2, 0, 1});  // [B, C, L] -> [L, B, C], the layout LibTorch's attention takes
  for (const auto& layer : *stack) h = layer->as<EncoderLayer>()->forward(h);
  return h.permute({1, 2, 0});
}

}  // namespace seqdl::nn
