#include "infer/batches.hpp"

#include <ATen/Parallel.h>

#include "nn/one_hot_conv.hpp"

namespace seqdl::infer {

torch::Tensor one_hot_tensor(std::string_view codes, int64_t n, int64_t length, const encode::OneHotTable& table) {
  auto x = torch::empty({n, 4, length});
  float* out = x.data_ptr<float>();
  at::parallel_for(0, n, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      encode::one_hot(codes.substr(static_cast<size_t>(i * length), static_cast<size_t>(length)), out + i * 4 * length,
                      static_cast<size_t>(length), table);
    }
  });
  return x;
}

torch::Tensor index_tensor(std::string_view codes, int64_t n, int64_t length) {
  auto x = torch::empty({n, length}, torch::kUInt8);
  encode::base_indices(codes.substr(0, static_cast<size_t>(n * length)), x.data_ptr<uint8_t>());
  return x;
}

torch::Tensor model_input(std::string_view codes, int64_t n, int64_t length, const encode::OneHotTable& table) {
  if (table.mode() == encode::Unknown::zero) return index_tensor(codes, n, length);
  return one_hot_tensor(codes, n, length, table);
}

torch::Tensor run_model(nn::Model& model, const torch::Tensor& input) {
  return input.scalar_type() == torch::kUInt8 ? model.forward_indices(input) : model.forward(input);
}

std::vector<torch::Tensor> run_model_heads(nn::Model& model, const torch::Tensor& input) {
  if (input.scalar_type() != torch::kUInt8) return model.forward_heads(input);
  if (nn::NetworkImpl* net = model.network()) return net->forward_heads(input);
  return model.forward_heads(nn::one_hot_from_indices(input));
}

torch::Tensor predict_codes(nn::Model& model, std::string_view codes, int64_t n, int64_t batch,
                            const encode::OneHotTable& table) {
  torch::InferenceMode guard;
  const int64_t length = model.info().input_length;
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < n; start += batch) {
    int64_t b = std::min(batch, n - start);
    auto x = model_input(codes.substr(static_cast<size_t>(start * length)), b, length, table);
    parts.push_back(run_model(model, x).to(torch::kFloat32));
  }
  if (parts.empty()) return torch::empty({0});
  return torch::cat(parts, 0);
}

}  // namespace seqdl::infer
