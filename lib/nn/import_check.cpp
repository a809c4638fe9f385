// The check an imported network passes before it is used: the same outputs as the TorchScript module.
#include <ATen/CPUGeneratorImpl.h>

#include "nn/import_torchscript.hpp"
#include "nn/one_hot_conv.hpp"

namespace seqdl::nn {
namespace {

constexpr uint64_t kCheckSeed = 7;

std::vector<torch::Tensor> script_heads(torch::jit::script::Module& module, const torch::Tensor& x) {
  c10::IValue out = module.forward({x});
  if (out.isTensor()) return {out.toTensor()};
  std::vector<torch::Tensor> heads;
  if (out.isTuple()) {
    for (const auto& v : out.toTupleRef().elements()) heads.push_back(v.isTensor() ? v.toTensor() : torch::Tensor());
  }
  return heads;
}

// Batches of base indices (0-3, 4 = N) to check on: random ones of 1 and 4 sequences, and a sequence of Ns.
std::vector<torch::Tensor> check_indices(int64_t length) {
  auto generator = at::detail::createCPUGenerator(kCheckSeed);
  std::vector<torch::Tensor> batches;
  for (int64_t n : {1, 4}) batches.push_back(torch::randint(4, {n, length}, generator).to(torch::kUInt8));
  batches.push_back(torch::full({1, length}, 4, torch::kUInt8));
  return batches;
}

// The worst |ours - theirs| / max(1, max |theirs|) over the heads; a message instead when shapes or counts differ.
double compare(const std::vector<torch::Tensor>& ours, const std::vector<torch::Tensor>& theirs, std::string& failure) {
  if (ours.size() != theirs.size()) {
    failure = fmt::format("the imported network has {} outputs and the TorchScript module {}", ours.size(), theirs.size());
    return 0;
  }
  double worst = 0;
  for (size_t h = 0; h < ours.size(); ++h) {
    if (!theirs[h].defined() || ours[h].sizes() != theirs[h].sizes()) {
      failure = fmt::format("output {} has shape {} in the imported network and {} in TorchScript", h,
                            nlohmann::json(ours[h].sizes().vec()).dump(),
                            theirs[h].defined() ? nlohmann::json(theirs[h].sizes().vec()).dump() : "none");
      return 0;
    }
    auto a = ours[h].to(torch::kFloat64), b = theirs[h].to(torch::kFloat64);
    double scale = std::max(1.0, b.abs().max().item<double>());
    double d = (a - b).abs().max().item<double>() / scale;
    if (!std::isfinite(d)) d = std::numeric_limits<double>::infinity();
    worst = std::max(worst, d);
  }
  return worst;
}

}  // namespace

void check_import(torch::jit::script::Module& module, NetworkImpl& network, ImportReport& report) {
  torch::NoGradGuard no_grad;
  std::string failure;
  double worst = 0;
  int64_t inputs = 0;
  const int64_t length = network.input_length();
  auto run = [&](const torch::Tensor& one_hot, const torch::Tensor& indices) {
    std::vector<torch::Tensor> theirs = script_heads(module, one_hot);
    worst = std::max(worst, compare(network.forward_heads(one_hot), theirs, failure));
    if (indices.defined() && failure.empty()) worst = std::max(worst, compare(network.forward_heads(indices), theirs, failure));
    inputs += one_hot.size(0);
  };
  try {
    for (const auto& indices : check_indices(length)) {
      run(one_hot_from_indices(indices), indices);
      if (!failure.empty()) break;
    }
    if (failure.empty()) run(torch::full({1, 4, length}, 0.25), torch::Tensor());
  } catch (const std::exception& e) {
    failure = fmt::format("running the check failed ({})", torch_error(e));
  }
  report.max_difference = worst;
  report.checked_inputs = inputs;
  if (failure.empty() && worst > kImportTolerance) {
    failure = fmt::format("the imported network differs from the TorchScript forward by {:.2e} (relative; the "
                          "tolerance is {:.0e})", worst, kImportTolerance);
  }
  if (!failure.empty()) {
    report.check_failed = true;
    report.stopped_by = failure;
  }
}

}  // namespace seqdl::nn
