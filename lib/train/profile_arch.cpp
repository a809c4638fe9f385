#include "train/profile_arch.hpp"

#include <map>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

constexpr const char* kBiasPrefix = "bias_";

nlohmann::json* layer_named(nn::ArchSpec& spec, const std::string& name) {
  for (auto& l : spec.layers) {
    if (l.value("name", "") == name) return &l;
  }
  return nullptr;
}

nlohmann::json& need_layer(nn::ArchSpec& spec, const std::string& name, const std::string& why) {
  nlohmann::json* l = layer_named(spec, name);
  if (l == nullptr) {
    throw UsageError("{}: the architecture {} has no layer named '{}' (BPNet-like specs name stem, trunk, "
                     "profile_conv, profile, counts_crop and counts)", why, spec.name, name);
  }
  return *l;
}

void apply_option(nn::ArchSpec& spec, const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos) throw UsageError("--arch-option '{}': expected KEY=VALUE", text);
  const std::string key = text.substr(0, eq);
  const int64_t value = parse_int(text.substr(eq + 1), "--arch-option " + key);
  const std::string why = "--arch-option " + text;
  if (value < 1) throw UsageError("{}: the value must be a positive integer", why);
  if (key == "filters") {
    need_layer(spec, "stem", why)["filters"] = value;
    need_layer(spec, "trunk", why)["filters"] = value;
  } else if (key == "layers") {
    if (value > 20) throw UsageError("{}: at most 20 layers (dilation 2^20)", why);
    need_layer(spec, "trunk", why)["layers"] = value;
  } else if (key == "stem-kernel") {
    need_layer(spec, "stem", why)["kernel"] = value;
  } else if (key == "profile-kernel") {
    if (value % 2 == 0) throw UsageError("{}: the profile kernel must be odd (centred)", why);
    need_layer(spec, "profile_conv", why)["kernel"] = value;
  } else {
    throw UsageError("--arch-option '{}': unknown key (filters, layers, stem-kernel, profile-kernel)", key);
  }
}

// The crops of a BPNet-like spec follow the output length and the profile head's width.
void set_crops(nn::ArchSpec& spec, int64_t output_length) {
  const std::string why = "--output-length";
  auto& profile = need_layer(spec, "profile", why);
  if (output_length == 0) output_length = profile.value("length", int64_t{0});
  profile["length"] = output_length;
  if (nlohmann::json* counts = layer_named(spec, "counts_crop"); counts != nullptr) {
    int64_t kernel = need_layer(spec, "profile_conv", why).value("kernel", int64_t{1});
    (*counts)["length"] = output_length + 2 * (kernel / 2);
  }
}

// Regression: the profile branch pooled to bins; the counts branch is dropped.
void to_tracks(nn::ArchSpec& spec, int64_t bin) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : spec.layers) {
    std::string name = l.value("name", "");
    if (name == "counts_crop" || name == "counts_pool" || name == "counts") continue;
    layers.push_back(l);
  }
  layers.push_back({{"type", "avgpool"}, {"size", bin}, {"inputs", {"profile"}}, {"name", "tracks"}});
  spec.layers = layers;
  spec.outputs = nlohmann::json::array({{{"name", "tracks"}, {"layer", "tracks"}}});
}

bool bpnet_like(const nn::ArchSpec& spec) {
  nn::ArchSpec copy = spec;
  return layer_named(copy, "profile") != nullptr && layer_named(copy, "profile_conv") != nullptr;
}

}  // namespace

nn::ArchSpec adapt_coverage_arch(nn::ArchSpec spec, const CoverageArchOptions& o) {
  for (const auto& text : o.arch_options) apply_option(spec, text);
  if (o.output_length > 0 || (!o.arch_options.empty() && bpnet_like(spec))) set_crops(spec, o.output_length);
  if (o.bin > 0 && bpnet_like(spec)) to_tracks(spec, o.bin);
  return spec;
}

std::string bias_weight_name(const std::string& name) { return kBiasPrefix + name; }

nn::ArchSpec add_bias_model(const nn::ArchSpec& main, const nn::ArchSpec& bias, const std::string& source) {
  if (!main.outputs.is_array() || main.outputs.size() != 2) {
    throw UsageError("--bias-model: the architecture {} needs a profile and a counts head", main.name);
  }
  if (!bias.outputs.is_array() || bias.outputs.size() != 2) {
    throw ModelError("--bias-model {}: not a profile model (it needs a profile and a counts head)", source);
  }
  nn::ArchSpec out = main;
  out.name = main.name + "+bias";
  std::map<std::string, std::string> renamed;  // the bias spec's layer names (explicit or implicit) -> combined names
  std::string previous = "input";
  for (size_t i = 0; i < bias.layers.size(); ++i) {
    nlohmann::json l = bias.layers[i];
    const std::string own = l.value("name", fmt::format("{}_{}", i, l["type"].get<std::string>()));
    const std::string name = kBiasPrefix + own;
    nlohmann::json inputs = nlohmann::json::array();
    if (l.contains("inputs")) {
      for (const auto& ref : l["inputs"]) {
        std::string r = ref.get<std::string>();
        inputs.push_back(r == "input" ? r : renamed.at(r));
      }
    } else {
      inputs.push_back(previous);
    }
    l["name"] = name;
    l["inputs"] = inputs;
    out.layers.push_back(l);
    renamed[own] = name;
    previous = name;
  }
  auto head = [](const nn::ArchSpec& s, size_t k) { return s.outputs[k].at("layer").get<std::string>(); };
  const std::string bias_profile = renamed.at(head(bias, 0)), bias_counts = renamed.at(head(bias, 1));
  out.layers.push_back({{"type", "add"}, {"inputs", {head(main, 0), bias_profile}}, {"name", "profile_total"}});
  out.layers.push_back({{"type", "logsumexp"}, {"inputs", {head(main, 1), bias_counts}}, {"name", "counts_total"}});
  out.outputs = nlohmann::json::array({{{"name", "profile"}, {"layer", "profile_total"}},
                                       {{"name", "counts"}, {"layer", "counts_total"}},
                                       {{"name", "profile_nobias"}, {"layer", head(main, 0)}},
                                       {{"name", "counts_nobias"}, {"layer", head(main, 1)}}});
  return out;
}

}  // namespace seqdl::train
