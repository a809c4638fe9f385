#include "nn/spec.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "util/error.hpp"

namespace seqdl::nn {

// Generated from models/*.json by CMake (zoo_specs.cpp).
extern const std::map<std::string, std::string>& zoo_spec_texts();

namespace {

// Field requirements per layer type: required numeric fields (a number, or "tasks" where allowed).
struct LayerRule {
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

const std::map<std::string, LayerRule>& rules() {
  static const std::map<std::string, LayerRule> r = {
      {"conv", {{"filters", "kernel"}, {"dilation", "padding", "bias", "stride"}}},
      {"batchnorm", {{}, {}}},
      {"relu", {{}, {}}},
      {"gelu", {{}, {}}},
      {"sigmoid", {{}, {}}},
      {"tanh", {{}, {}}},
      {"exp", {{}, {}}},
      {"softplus", {{}, {}}},
      {"maxpool", {{"size"}, {"stride"}}},
      {"avgpool", {{"size"}, {"stride"}}},
      {"dropout", {{"p"}, {}}},
      {"flatten", {{}, {}}},
      {"linear", {{"units"}, {"bias"}}},
      {"global_maxpool", {{}, {}}},
      {"global_avgpool", {{}, {}}},
      {"bilstm", {{"hidden"}, {"layers"}}},
      {"positional_encoding", {{}, {}}},
      {"transformer_encoder", {{"layers", "heads", "ff"}, {"dropout", "norm_first"}}},
      {"spliceai_tower", {{"channels", "units", "context"}, {"group"}}},
  };
  return r;
}

void check_layer(const nlohmann::json& layer, size_t i, const std::string& source) {
  std::string where = fmt::format("{}: layer {}", source, i + 1);
  if (!layer.is_object() || !layer.contains("type") || !layer["type"].is_string()) {
    throw ModelError("{}: expected an object with a \"type\"", where);
  }
  std::string type = layer["type"];
  auto it = rules().find(type);
  if (it == rules().end()) {
    std::string known;
    for (const auto& t : layer_types()) known += (known.empty() ? "" : ", ") + t;
    throw ModelError("{}: unknown layer type \"{}\" (known: {})", where, type, known);
  }
  for (const auto& field : it->second.required) {
    if (!layer.contains(field)) throw ModelError("{} ({}): missing \"{}\"", where, type, field);
  }
  for (const auto& [key, value] : layer.items()) {
    if (key == "type") continue;
    const auto& r = it->second;
    if (std::find(r.required.begin(), r.required.end(), key) == r.required.end() &&
        std::find(r.optional.begin(), r.optional.end(), key) == r.optional.end()) {
      throw ModelError("{} ({}): unknown field \"{}\"", where, type, key);
    }
    bool count_field = (key != "units" || type != "spliceai_tower") && (key == "filters" || key == "kernel" || key == "size" || key == "units" || key == "hidden" ||
                       key == "layers" || key == "heads" || key == "ff" || key == "channels" || key == "dilation" ||
                       key == "stride" || key == "group" || key == "context");
    if (count_field) {
      bool tasks_ok = (key == "filters" || key == "units") && value.is_string() && value == "tasks";
      if (!tasks_ok && !(value.is_number_integer() && value.get<int64_t>() >= (key == "context" ? 0 : 1))) {
        throw ModelError("{} ({}): \"{}\" must be a positive integer{}", where, type, key,
                         key == "filters" || key == "units" ? " or \"tasks\"" : "");
      }
    }
    if ((key == "p" || key == "dropout") && !(value.is_number() && value.get<double>() >= 0 && value.get<double>() < 1)) {
      throw ModelError("{} ({}): \"{}\" must be a probability in [0, 1)", where, type, key);
    }
    if (key == "padding" && !(value == "valid" || value == "same")) {
      throw ModelError("{} ({}): \"padding\" must be \"valid\" or \"same\"", where, type);
    }
  }
  if (type == "spliceai_tower") {
    const auto& units = layer["units"];
    bool ok = units.is_array() && !units.empty();
    for (const auto& u : units) ok = ok && u.is_array() && u.size() == 2 && u[0].is_number_integer() && u[1].is_number_integer();
    if (!ok) throw ModelError("{} (spliceai_tower): \"units\" must be a list of [kernel, dilation] pairs", where);
  }
}

}  // namespace

const std::vector<std::string>& layer_types() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> t;
    for (const auto& [name, rule] : rules()) t.push_back(name);
    return t;
  }();
  return types;
}

nlohmann::json ArchSpec::to_json() const {
  nlohmann::json j = {{"name", name}, {"description", description}, {"input_length", input_length},
                      {"tasks", tasks},  {"layers", layers}};
  if (!task_names.empty()) j["task_names"] = task_names;
  return j;
}

ArchSpec ArchSpec::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw ModelError("{}: an architecture spec must be a JSON object", source);
  ArchSpec s;
  try {
    s.name = j.value("name", std::filesystem::path(source).stem().string());
    s.description = j.value("description", "");
    s.input_length = j.at("input_length").get<int64_t>();
    s.tasks = j.value("tasks", int64_t{1});
    if (j.contains("task_names")) s.task_names = j["task_names"].get<std::vector<std::string>>();
    s.layers = j.at("layers");
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{}: {}", source, e.what());
  }
  if (s.input_length < 1) throw ModelError("{}: \"input_length\" must be positive", source);
  if (s.tasks < 1) throw ModelError("{}: \"tasks\" must be positive", source);
  if (!s.layers.is_array() || s.layers.empty()) throw ModelError("{}: \"layers\" must be a non-empty list", source);
  for (size_t i = 0; i < s.layers.size(); ++i) check_layer(s.layers[i], i, source);
  return s;
}

std::vector<std::string> zoo_names() {
  std::vector<std::string> names;
  for (const auto& [name, text] : zoo_spec_texts()) names.push_back(name);
  return names;
}

ArchSpec load_arch(const std::string& name_or_path) {
  const auto& zoo = zoo_spec_texts();
  if (auto it = zoo.find(name_or_path); it != zoo.end()) {
    return ArchSpec::from_json(nlohmann::json::parse(it->second), "models/" + name_or_path + ".json");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(name_or_path, ec)) {
    std::string known;
    for (const auto& n : zoo_names()) known += (known.empty() ? "" : ", ") + n;
    throw UsageError("--arch: '{}' is neither a zoo architecture ({}) nor a spec file", name_or_path, known);
  }
  std::ifstream in(name_or_path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ModelError("{}: not valid JSON ({})", name_or_path, e.what());
  }
  return ArchSpec::from_json(j, name_or_path);
}

}  // namespace seqdl::nn
