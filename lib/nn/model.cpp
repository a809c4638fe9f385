#include "nn/model.hpp"

#include <torch/script.h>

#include <filesystem>

#include "nn/model_file.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::nn {
namespace {

// LibTorch's messages span many lines (a TorchScript interpreter trace, a C++ backtrace); the line that says
// what went wrong is the last "...Error: ..." line, or else the first line.
std::string torch_error(const std::exception& e) {
  std::string text = e.what();
  std::string best;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.find("Error: ") != std::string::npos) best = line.substr(line.find("Error: ") + 7);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (!best.empty()) return best;
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return text.substr(0, text.find('\n'));
}

class NetworkModel : public Model {
 public:
  NetworkModel(Network net, ModelInfo info) : net_(std::move(net)) {
    info_ = std::move(info);
    net_->eval();
    describe_outputs();
  }
  torch::Tensor forward(const torch::Tensor& x) override { return net_->forward(x); }
  torch::Tensor forward_indices(const torch::Tensor& indices) override { return net_->forward_indices(indices); }
  NetworkImpl* network() override { return net_.get(); }

 private:
  Network net_;
};

class ScriptModel : public Model {
 public:
  ScriptModel(torch::jit::script::Module module, ModelInfo info) : module_(std::move(module)) {
    info_ = std::move(info);
    module_.eval();
    describe_outputs();
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    c10::IValue out;
    try {
      out = module_.forward({x});
    } catch (const std::exception& e) {
      throw ModelError("{}: the TorchScript model failed on input [{}, 4, {}]: {}", info_.source, x.size(0), x.size(2),
                       torch_error(e));
    }
    if (!out.isTensor()) {
      throw ModelError("{}: the TorchScript model returns {}, not a tensor [batch, tasks] or [batch, tasks, positions]",
                       info_.source, out.tagKind());
    }
    return out.toTensor();
  }

 private:
  torch::jit::script::Module module_;
};

}  // namespace

void Model::describe_outputs() {
  ModelInfo& info = info_;
  torch::InferenceMode guard;
  torch::Tensor y;
  try {
    y = forward(torch::zeros({1, 4, info.input_length}));
  } catch (const ModelError&) {
    throw;
  } catch (const std::exception& e) {
    throw ModelError("{}: does not take one-hot input [batch, 4, {}] ({})", info.source, info.input_length, torch_error(e));
  }
  if (y.dim() == 2) {
    info.per_position = false;
  } else if (y.dim() == 3) {
    info.per_position = true;
    info.output_positions = y.size(2);
    info.output_offset = (info.input_length - y.size(2)) / 2;
  } else {
    throw ModelError("{}: expected output [batch, tasks] or [batch, tasks, positions], found {} dimensions", info.source,
                     y.dim());
  }
  int64_t tasks = y.size(1);
  if (info.task_names.empty()) {
    for (int64_t t = 0; t < tasks; ++t) info.task_names.push_back(fmt::format("task{}", t));
  }
  if (static_cast<int64_t>(info.task_names.size()) != tasks) {
    throw ModelError("{}: has {} outputs but {} task names were given", info.source, tasks, info.task_names.size());
  }
}

namespace {

std::unique_ptr<Model> open_torchscript(const std::string& path, const ModelOverrides& o) {
  torch::jit::ExtraFilesMap extra{{"seqdl.json", ""}};
  torch::jit::script::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU, extra);
  } catch (const std::exception& e) {
    throw ModelError("{} is neither a seqdl model nor a TorchScript file ({})", path, torch_error(e));
  }
  ModelInfo info;
  info.source = path;
  if (!extra["seqdl.json"].empty()) {
    try {
      info.metadata = nlohmann::json::parse(extra["seqdl.json"]);
      info.input_length = info.metadata.value("input_length", int64_t{0});
      info.task_names = info.metadata.value("task_names", std::vector<std::string>{});
      info.task_type = info.metadata.value("task_type", std::string("binary"));
    } catch (const nlohmann::json::exception& e) {
      throw ModelError("{}: its seqdl.json is not valid ({})", path, e.what());
    }
  }
  if (o.window > 0) info.input_length = o.window;
  if (!o.task_names.empty()) info.task_names = o.task_names;
  if (!o.task_type.empty()) info.task_type = o.task_type;
  if (info.input_length <= 0) {
    throw UsageError("{} is a TorchScript model that does not record its input length: give --window", path);
  }
  return std::make_unique<ScriptModel>(std::move(module), std::move(info));
}

}  // namespace

torch::Tensor Model::forward_indices(const torch::Tensor& indices) { return forward(one_hot_from_indices(indices)); }

torch::Tensor Model::probabilities(const torch::Tensor& logits) const {
  return info_.task_type == "multiclass" ? torch::softmax(logits, 1) : torch::sigmoid(logits);
}

std::unique_ptr<Model> wrap_network(Network network, ModelInfo info) {
  return std::make_unique<NetworkModel>(std::move(network), std::move(info));
}

std::unique_ptr<Model> open_model(const std::string& path, const ModelOverrides& overrides) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("cannot open model {}: no such file", path);
  if (!is_seqdl_model(path)) return open_torchscript(path, overrides);
  LoadedNetwork loaded = load_network(path);
  const auto& meta = loaded.header.metadata;
  ModelInfo info;
  info.source = path;
  info.metadata = meta;
  info.input_length = loaded.header.input_length;
  info.task_names = meta.value("task_names", std::vector<std::string>{});
  info.task_type = meta.value("task_type", std::string("binary"));
  info.unknown = meta.value("encoding", nlohmann::json::object()).value("unknown", std::string("zero"));
  if (overrides.window > 0 && overrides.window != info.input_length) {
    throw UsageError("--window {} differs from the input length {} that {} was trained with", overrides.window,
                     info.input_length, path);
  }
  return std::make_unique<NetworkModel>(loaded.network, std::move(info));
}

}  // namespace seqdl::nn
