#include "nn/spec.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "util/error.hpp"
#include "util/json_number.hpp"
#include "util/text.hpp"

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
      {"elu", {{}, {}}},
      {"sigmoid", {{}, {}}},
      {"tanh", {{}, {}}},
      {"exp", {{}, {}}},
      {"softplus", {{}, {}}},
      {"maxpool", {{"size"}, {"stride"}}},
      {"avgpool", {{"size"}, {"stride"}}},
      {"dropout", {{"p"}, {}}},
      {"flatten", {{}, {"order"}}},
      {"linear", {{"units"}, {"bias"}}},
      {"global_maxpool", {{}, {}}},
      {"global_avgpool", {{}, {}}},
      {"bilstm", {{"hidden"}, {"layers"}}},
      {"positional_encoding", {{}, {}}},
      {"transformer_encoder", {{"layers", "heads", "ff"}, {"dropout", "norm_first"}}},
      {"add", {{}, {}}},
      {"logsumexp", {{}, {}}},  // log(sum(exp(inputs))): ChromBPNet joins its counts heads so
      {"cat", {{}, {}}},
      {"crop", {{}, {"left", "right", "length"}}},
      {"pad", {{}, {"left", "right"}}},
      {"spliceai_tower", {{"channels", "units", "context"}, {"group"}}},
      {"residual_tower", {{"filters", "layers"}, {"kernel"}}},
  };
  return r;
}

bool is_count_field(const std::string& type, const std::string& key) {
  static const std::set<std::string> counts = {"filters", "kernel", "size",     "units", "hidden", "layers", "heads",
                                               "ff",      "channels", "dilation", "stride", "group", "context", "length"};
  return counts.count(key) != 0 && !(key == "units" && type == "spliceai_tower");
}

void check_value(const std::string& type, const std::string& key, const nlohmann::json& value, const std::string& where) {
  if (is_count_field(type, key)) {
    bool tasks_ok = (key == "filters" || key == "units") && value.is_string() && value == "tasks";
    if (!tasks_ok && !(value.is_number_integer() && value.get<int64_t>() >= (key == "context" ? 0 : 1))) {
      throw ModelError("{} ({}): \"{}\" must be a positive integer{}", where, type, key,
                       key == "filters" || key == "units" ? " or \"tasks\"" : "");
    }
  } else if (key == "p" || key == "dropout") {
    if (!(value.is_number() && value.get<double>() >= 0 && value.get<double>() < 1)) {
      throw ModelError("{} ({}): \"{}\" must be a probability in [0, 1)", where, type, key);
    }
  } else if (key == "padding") {
    bool pair = value.is_array() && value.size() == 2 && value[0].is_number_integer() && value[1].is_number_integer() &&
                value[0].get<int64_t>() >= 0 && value[1].get<int64_t>() >= 0;
    bool number = value.is_number_integer() && value.get<int64_t>() >= 0;
    if (!(value == "valid" || value == "same" || pair || number)) {
      throw ModelError("{} ({}): \"padding\" must be \"valid\", \"same\", a number or [left, right]", where, type);
    }
  } else if (key == "left" || key == "right") {
    if (!(value.is_number_integer() && value.get<int64_t>() >= 0)) {
      throw ModelError("{} ({}): \"{}\" must be an integer >= 0", where, type, key);
    }
  } else if (key == "order") {
    if (!(value == "channels" || value == "positions")) {
      throw ModelError("{} ({}): \"order\" must be \"channels\" or \"positions\"", where, type);
    }
  } else if (key == "bias" || key == "norm_first") {
    if (!value.is_boolean()) throw ModelError("{} ({}): \"{}\" must be true or false", where, type, key);
  }
}

void check_wiring(const nlohmann::json& layer, const std::string& where) {
  if (layer.contains("name")) {
    const auto& n = layer["name"];
    if (!n.is_string() || n.get<std::string>().empty() || n == "input" || n.get<std::string>().find('.') != std::string::npos) {
      throw ModelError("{}: \"name\" must be a non-empty string without '.', other than \"input\"", where);
    }
  }
  if (layer.contains("inputs")) {
    const auto& in = layer["inputs"];
    bool ok = in.is_array() && !in.empty();
    for (const auto& v : in) ok = ok && v.is_string();
    if (!ok) throw ModelError("{}: \"inputs\" must be a list of layer names (or \"input\")", where);
  }
}

void check_layer(const nlohmann::json& layer, size_t i, const std::string& source) {
  std::string where = fmt::format("{}: layer {}", source, i + 1);
  if (!layer.is_object() || !layer.contains("type") || !layer["type"].is_string()) {
    throw ModelError("{}: expected an object with a \"type\"", where);
  }
  std::string type = layer["type"];
  auto it = rules().find(type);
  if (it == rules().end()) {
    throw ModelError("{}: unknown layer type \"{}\" (known: {})", where, type, join(layer_types(), ", "));
  }
  check_wiring(layer, where);
  for (const auto& field : it->second.required) {
    if (!layer.contains(field)) throw ModelError("{} ({}): missing \"{}\"", where, type, field);
  }
  for (const auto& [key, value] : layer.items()) {
    if (key == "type" || key == "name" || key == "inputs") continue;
    const auto& r = it->second;
    if (std::find(r.required.begin(), r.required.end(), key) == r.required.end() &&
        std::find(r.optional.begin(), r.optional.end(), key) == r.optional.end()) {
      throw ModelError("{} ({}): unknown field \"{}\"", where, type, key);
    }
    check_value(type, key, value, where);
  }
  if (type == "spliceai_tower") {
    const auto& units = layer["units"];
    bool ok = units.is_array() && !units.empty();
    for (const auto& u : units) {
      ok = ok && u.is_array() && u.size() == 2 && u[0].is_number_integer() && u[1].is_number_integer() &&
           u[0].get<int64_t>() >= 1 && u[1].get<int64_t>() >= 1;
    }
    if (!ok) throw ModelError("{} (spliceai_tower): \"units\" must be a list of [kernel, dilation] pairs", where);
  }
  if (type == "crop" && layer.contains("length") && (layer.contains("left") || layer.contains("right"))) {
    throw ModelError("{} (crop): give \"length\" or \"left\"/\"right\", not both", where);
  }
}

void check_outputs(const nlohmann::json& outputs, const std::string& source) {
  if (outputs.is_null()) return;
  bool ok = outputs.is_array() && !outputs.empty();
  for (const auto& o : outputs) ok = ok && o.is_object() && o.contains("layer") && o["layer"].is_string() &&
                                     (!o.contains("name") || o["name"].is_string());
  if (!ok) throw ModelError("{}: \"outputs\" must be a list of {{\"name\": ..., \"layer\": ...}}", source);
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
  if (!outputs.is_null()) j["outputs"] = outputs;
  return j;
}

ArchSpec ArchSpec::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw ModelError("{}: an architecture spec must be a JSON object", source);
  ArchSpec s;
  try {
    s.name = j.value("name", std::filesystem::path(source).stem().string());
    s.description = j.value("description", "");
    s.input_length = json_int64(j.at("input_length")).value_or(0);  // a float or a string: refused below
    s.tasks = j.contains("tasks") ? json_int64(j["tasks"]).value_or(0) : 1;
    if (j.contains("task_names")) s.task_names = j["task_names"].get<std::vector<std::string>>();
    s.layers = j.at("layers");
    if (j.contains("outputs")) s.outputs = j["outputs"];
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{}: {}", source, e.what());
  }
  if (s.input_length < 1) throw ModelError("{}: \"input_length\" must be a positive integer", source);
  if (s.tasks < 1) throw ModelError("{}: \"tasks\" must be a positive integer", source);
  if (!s.layers.is_array() || s.layers.empty()) throw ModelError("{}: \"layers\" must be a non-empty list", source);
  for (size_t i = 0; i < s.layers.size(); ++i) check_layer(s.layers[i], i, source);
  check_outputs(s.outputs, source);
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
    throw UsageError("--arch: '{}' is neither a zoo architecture ({}) nor a spec file", name_or_path,
                     join(zoo_names(), ", "));
  }
  std::ifstream in(name_or_path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {  // parse errors, and numbers beyond a double (out_of_range)
    throw ModelError("{}: not valid JSON ({})", name_or_path, e.what());
  }
  try {
    return ArchSpec::from_json(j, name_or_path);
  } catch (const nlohmann::json::exception& e) {  // a value of the wrong kind that a check did not name
    throw ModelError("{}: {}", name_or_path, e.what());
  }
}

}  // namespace seqdl::nn
