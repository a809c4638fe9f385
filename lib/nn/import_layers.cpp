// The spec an import builds: layers in walk order, pruned to what the outputs need.
#include <algorithm>

#include "nn/import_walk.hpp"
#include "util/error.hpp"

namespace seqdl::nn::importer {

std::string LayerBuilder::add(nlohmann::json layer, const std::vector<std::string>& inputs, const std::string& hint) {
  std::string base = hint;
  std::replace(base.begin(), base.end(), '.', '_');
  if (base.empty() || base == "input") base = layer.at("type").get<std::string>();
  std::string name = base;
  for (int k = 1; names_.count(name) != 0 || name == "input" || (hint.empty() && k == 1); ++k) {
    name = fmt::format("{}_{}", base, k);
    if (names_.count(name) == 0 && name != "input") break;
  }
  names_.insert(name);
  entries_.push_back(Entry{name, std::move(layer), inputs, {}});
  return name;
}

LayerBuilder::Entry& LayerBuilder::entry(const std::string& name) {
  for (auto& e : entries_) {
    if (e.name == name) return e;
  }
  throw std::logic_error("seqdl importer: no layer " + name);
}

void LayerBuilder::set_tensor(const std::string& layer, const std::string& param, const torch::Tensor& value) {
  auto& tensors = entry(layer).tensors;
  for (auto& [p, t] : tensors) {
    if (p == param) {
      t = value;
      return;
    }
  }
  tensors.emplace_back(param, value);
}

torch::Tensor* LayerBuilder::tensor(const std::string& layer, const std::string& param) {
  for (auto& [p, t] : entry(layer).tensors) {
    if (p == param) return &t;
  }
  return nullptr;
}

nlohmann::json& LayerBuilder::layer(const std::string& name) { return entry(name).layer; }

ArchSpec LayerBuilder::finish(const std::vector<std::pair<std::string, std::string>>& heads, const std::string& name,
                              int64_t input_length, int64_t tasks) const {
  // Keep the layers an output needs.
  std::set<std::string> needed;
  for (const auto& [head, layer] : heads) needed.insert(layer);
  for (auto e = entries_.rbegin(); e != entries_.rend(); ++e) {
    if (needed.count(e->name) != 0) needed.insert(e->inputs.begin(), e->inputs.end());
  }
  nlohmann::json layers = nlohmann::json::array();
  std::string previous = "input";
  for (const auto& e : entries_) {
    if (needed.count(e.name) == 0) continue;
    nlohmann::json l = {{"name", e.name}};
    l.update(e.layer);
    if (e.inputs != std::vector<std::string>{previous}) l["inputs"] = e.inputs;
    layers.push_back(std::move(l));
    previous = e.name;
  }
  nlohmann::json spec = {{"name", name}, {"input_length", input_length}, {"tasks", tasks}, {"layers", layers}};
  if (heads.size() > 1 || heads.at(0).second != previous) {
    spec["outputs"] = nlohmann::json::array();
    for (const auto& [head, layer] : heads) spec["outputs"].push_back({{"name", head}, {"layer", layer}});
  }
  try {
    return ArchSpec::from_json(spec, name);
  } catch (const ModelError& e) {
    throw ImportStop(fmt::format("the imported layers do not form a valid seqdl spec ({})", e.what()));
  }
}

std::vector<std::pair<std::string, torch::Tensor>> LayerBuilder::state(const ArchSpec& spec) const {
  std::set<std::string> kept;
  for (const auto& l : spec.layers) kept.insert(l.at("name").get<std::string>());
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& e : entries_) {
    if (kept.count(e.name) == 0) continue;
    for (const auto& [param, t] : e.tensors) out.emplace_back(e.name + "." + param, t);
  }
  return out;
}

}  // namespace seqdl::nn::importer
