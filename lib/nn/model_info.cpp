#include "nn/model_info.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/json_number.hpp"
#include "util/text.hpp"

namespace seqdl::nn {

std::string_view model_form_name(ModelForm form) {
  switch (form) {
    case ModelForm::seqdl: return "seqdl model";
    case ModelForm::torchscript: return "TorchScript model";
    case ModelForm::imported: return "TorchScript model imported into seqdl's layers";
  }
  return "model";
}

void activate_row(Activation activation, double* row, size_t k) {
  if (activation == Activation::sigmoid) {
    for (size_t i = 0; i < k; ++i) row[i] = 1.0 / (1.0 + std::exp(-row[i]));
    return;
  }
  double top = *std::max_element(row, row + k), sum = 0;
  for (size_t i = 0; i < k; ++i) sum += (row[i] = std::exp(row[i] - top));
  for (size_t i = 0; i < k; ++i) row[i] /= sum;
}

int64_t resolve_output(const ModelInfo& info, std::string_view text, std::string_view option) {
  const auto& names = info.task_names;
  auto it = std::find(names.begin(), names.end(), text);
  if (it != names.end()) return it - names.begin();
  int64_t index = -1;
  try {
    index = parse_int(text, option);
  } catch (const FormatError&) {
  }
  if (index < 0 || index >= static_cast<int64_t>(names.size())) {
    throw UsageError("{} '{}': the model's outputs are {} (or an index 0-{})", option, text, join(names, ", "),
                     names.size() - 1);
  }
  return index;
}

std::vector<int64_t> resolve_outputs(const ModelInfo& info, const std::vector<std::string>& wanted,
                                     std::string_view option) {
  std::vector<int64_t> out;
  if (wanted.empty()) {
    for (size_t t = 0; t < info.task_names.size(); ++t) out.push_back(static_cast<int64_t>(t));
  }
  for (const auto& w : wanted) out.push_back(resolve_output(info, w, option));
  return out;
}

void check_model_info(const ModelInfo& info) {
  if (info.heads.empty()) throw ModelError("{}: the model has no outputs", info.source);
  int64_t channels = info.heads[0].channels;
  if (static_cast<int64_t>(info.task_names.size()) != channels) {
    throw ModelError("{}: has {} outputs but {} task names were given ({})", info.source, channels,
                     info.task_names.size(), join(info.task_names, ", "));
  }
  if (info.multiclass() && channels < 2) {
    throw ModelError("{}: a multi-class model needs two or more outputs (one per class), found {}", info.source, channels);
  }
}

void read_declared_info(const nlohmann::json& m, const std::string& source, ModelInfo& info) {
  if (!m.is_object()) throw ModelError("{}: the model's metadata must be a JSON object", source);
  try {
    if (m.contains("input_length")) {
      auto length = json_int64(m.at("input_length"));  // a float would convert with undefined behaviour
      if (!length) throw ModelError("{}: its metadata's input_length is not an integer", source);
      info.input_length = *length;
    }
    if (m.contains("task_names")) info.task_names = m.at("task_names").get<std::vector<std::string>>();
    if (m.contains("task_type")) {
      auto text = m.at("task_type").get<std::string>();
      try {
        info.task_type = parse_choice(data::kTaskTypeChoices, text, "task_type");
      } catch (const UsageError& e) {
        throw ModelError("{}: its metadata's {}", source, e.what());
      }
    }
    if (m.contains("profile")) info.profile = read_profile_info(m.at("profile"), source);
    // "unknown" at the top (a TorchScript file's seqdl.json) or under "encoding" (the .seqdl metadata).
    const bool top = m.contains("unknown");
    const bool nested = m.contains("encoding") && m.at("encoding").contains("unknown");
    if (top || nested) {
      auto text = (top ? m.at("unknown") : m.at("encoding").at("unknown")).get<std::string>();
      try {
        info.unknown = encode::parse_unknown(text, top ? "unknown" : "encoding.unknown");
      } catch (const UsageError& e) {
        throw ModelError("{}: its metadata's {}", source, e.what());
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{}: its metadata is not what seqdl expects ({})", source, e.what());
  }
}

void apply_overrides(const ModelOverrides& o, ModelInfo& info) {
  if (info.form == ModelForm::seqdl) {
    if (o.window > 0 && o.window != info.input_length) {
      throw UsageError("--window {} differs from the input length {} that {} was trained with", o.window,
                       info.input_length, info.source);
    }
    if (!o.task_names.empty() && o.task_names != info.task_names) {
      throw UsageError("--task-names: {} names its outputs itself ({})", info.source, join(info.task_names, ", "));
    }
    if (o.task_type && *o.task_type != info.task_type) {
      throw UsageError("--task-type {}: {} was trained as {}", data::task_type_name(*o.task_type), info.source,
                       data::task_type_name(info.task_type));
    }
  } else {
    if (o.window > 0) info.input_length = o.window;
    if (!o.task_names.empty()) info.task_names = o.task_names;
    if (o.task_type) info.task_type = *o.task_type;
  }
  if (o.unknown) info.unknown = *o.unknown;
}

}  // namespace seqdl::nn
