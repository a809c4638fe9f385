#include "infer/outputs.hpp"

namespace seqdl::infer {

torch::Tensor probabilities(nn::Activation activation, const torch::Tensor& logits) {
  return activation == nn::Activation::softmax ? torch::softmax(logits, 1) : torch::sigmoid(logits);
}

std::vector<double> probability_rows(nn::Activation activation, const torch::Tensor& logits) {
  auto p = probabilities(activation, logits).to(torch::kFloat64).contiguous();
  return std::vector<double>(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
}

OutputSelection::OutputSelection(const nn::ModelInfo& info, const std::vector<std::string>& wanted,
                                 std::string_view option)
    : index_(nn::resolve_outputs(info, wanted, option)) {
  for (int64_t t : index_) names_.push_back(info.task_names[static_cast<size_t>(t)]);
}

}  // namespace seqdl::infer
