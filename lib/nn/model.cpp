#include "nn/model.hpp"

#include <torch/script.h>

#include <filesystem>

#include "nn/network_file.hpp"
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
    const auto& outputs = net_->graph().outputs();  // the spec's head names ("profile", "counts")
    if (outputs.size() > 1) {
      for (size_t h = 0; h < outputs.size() && h < info_.heads.size(); ++h) info_.heads[h].name = outputs[h].name;
    }
  }
  std::vector<torch::Tensor> forward_heads(const torch::Tensor& x) override { return net_->forward_heads(x); }
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
  std::vector<torch::Tensor> forward_heads(const torch::Tensor& x) override {
    c10::IValue out;
    try {
      out = module_.forward({x});
    } catch (const std::exception& e) {
      throw ModelError("{}: the TorchScript model failed on input [{}, 4, {}]: {}", info_.source, x.size(0), x.size(2),
                       torch_error(e));
    }
    if (out.isTensor()) return {out.toTensor()};
    std::vector<torch::Tensor> heads;
    if (out.isTuple()) {
      for (const auto& v : out.toTupleRef().elements()) {
        if (!v.isTensor()) break;
        heads.push_back(v.toTensor());
      }
      if (heads.size() == out.toTupleRef().elements().size() && !heads.empty()) return heads;
    }
    throw ModelError("{}: the TorchScript model returns {}, not a tensor [batch, tasks] or [batch, tasks, positions] "
                     "(or a tuple of them)", info_.source, out.tagKind());
  }

 private:
  torch::jit::script::Module module_;
};

}  // namespace

void Model::describe_outputs() {
  torch::InferenceMode guard;
  std::vector<torch::Tensor> heads;
  try {
    heads = forward_heads(torch::zeros({1, 4, info_.input_length}));
  } catch (const ModelError&) {
    throw;
  } catch (const std::exception& e) {
    throw ModelError("{}: does not take one-hot input [batch, 4, {}] ({})", info_.source, info_.input_length,
                     torch_error(e));
  }
  info_.heads.clear();
  for (size_t h = 0; h < heads.size(); ++h) {
    const auto& y = heads[h];
    if (y.dim() != 2 && y.dim() != 3) {
      throw ModelError("{}: expected output [batch, tasks] or [batch, tasks, positions], found {} dimensions{}",
                       info_.source, y.dim(), heads.size() > 1 ? fmt::format(" (output {})", h) : "");
    }
    OutputHead head;
    head.name = h == 0 ? "logits" : fmt::format("output{}", h);
    head.channels = y.size(1);
    head.per_position = y.dim() == 3;
    if (head.per_position) {
      head.positions = y.size(2);
      head.offset = (info_.input_length - y.size(2)) / 2;
    }
    info_.heads.push_back(head);
  }
  if (info_.task_names.empty()) {
    for (int64_t t = 0; t < info_.heads[0].channels; ++t) info_.task_names.push_back(fmt::format("task{}", t));
  }
  check_model_info(info_);
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
  info.form = ModelForm::torchscript;
  if (!extra["seqdl.json"].empty()) {
    try {
      info.metadata = nlohmann::json::parse(extra["seqdl.json"]);
    } catch (const nlohmann::json::exception& e) {
      throw ModelError("{}: its seqdl.json is not valid JSON ({})", path, e.what());
    }
    read_declared_info(info.metadata, path + " (seqdl.json)", info);
  }
  apply_overrides(o, info);
  if (info.input_length <= 0) {
    throw UsageError("{} is a TorchScript model that does not record its input length: give --window", path);
  }
  return std::make_unique<ScriptModel>(std::move(module), std::move(info));
}

}  // namespace

torch::Tensor Model::forward_indices(const torch::Tensor& indices) { return forward(one_hot_from_indices(indices)); }

std::unique_ptr<Model> wrap_network(Network network, ModelInfo info) {
  return std::make_unique<NetworkModel>(std::move(network), std::move(info));
}

std::unique_ptr<Model> open_model(const std::string& path, const ModelOverrides& overrides) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("cannot open model {}: no such file", path);
  if (!is_seqdl_model(path)) return open_torchscript(path, overrides);
  LoadedNetwork loaded = load_network(path);
  ModelInfo info;
  info.source = path;
  info.form = ModelForm::seqdl;
  info.metadata = loaded.header.metadata;
  read_declared_info(info.metadata, path, info);
  info.input_length = loaded.header.input_length;
  apply_overrides(overrides, info);
  return std::make_unique<NetworkModel>(loaded.network, std::move(info));
}

}  // namespace seqdl::nn
