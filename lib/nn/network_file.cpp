#include "nn/network_file.hpp"

#include <map>
#include <set>

#include "nn/tensor_archive.hpp"
#include "util/error.hpp"

namespace seqdl::nn {

std::vector<std::pair<std::string, torch::Tensor>> network_state(NetworkImpl& net) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& p : net.named_parameters(true)) out.emplace_back(p.key(), p.value());
  for (const auto& b : net.named_buffers(true)) out.emplace_back(b.key(), b.value());
  return out;
}

void load_state(NetworkImpl& net, const std::vector<std::pair<std::string, torch::Tensor>>& state,
                const std::string& source) {
  torch::NoGradGuard no_grad;
  std::map<std::string, torch::Tensor> expected;
  for (auto& [name, tensor] : network_state(net)) expected[name] = tensor;
  std::set<std::string> seen;
  for (const auto& [name, value] : state) {
    auto it = expected.find(name);
    if (it == expected.end()) throw ModelError("{}: tensor '{}' does not belong to this architecture", source, name);
    if (it->second.sizes() != value.sizes() || it->second.scalar_type() != value.scalar_type()) {
      throw ModelError("{}: tensor '{}' has shape {} but the architecture needs {}", source, name,
                       nlohmann::json(value.sizes().vec()).dump(), nlohmann::json(it->second.sizes().vec()).dump());
    }
    if (value.is_floating_point() && !torch::isfinite(value).all().item<bool>()) {
      throw ModelError("{}: tensor '{}' holds NaN or infinite values", source, name);
    }
    it->second.copy_(value);
    seen.insert(name);
  }
  for (const auto& [name, tensor] : expected) {
    if (!seen.count(name)) throw ModelError("{}: tensor '{}' is missing", source, name);
  }
}

LoadedNetwork load_network(const std::string& path) {
  Archive a = read_archive(path, kModelMagic, "seqdl model");
  LoadedNetwork loaded;
  loaded.header = parse_model_header(a.header, path);
  loaded.header.file_bytes = a.bytes;
  const ModelHeader& h = loaded.header;
  loaded.network = Network(h.spec, h.input_length, h.tasks);
  load_state(*loaded.network, a.tensors, path);
  loaded.header.parameters = loaded.network->parameter_count();
  loaded.network->eval();
  return loaded;
}

void save_model(const std::string& path, NetworkImpl& network, const nlohmann::json& metadata) {
  nlohmann::json header = {{"format", "seqdl-model"},
                           {"spec", network.spec().to_json()},
                           {"input_length", network.input_length()},
                           {"tasks", network.tasks()},
                           {"parameters", network.parameter_count()},
                           {"metadata", metadata}};
  write_archive(path, kModelMagic, header, network_state(network));
}

}  // namespace seqdl::nn
