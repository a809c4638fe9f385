#include "nn/profile_info.hpp"

#include <cmath>

#include "util/error.hpp"

namespace seqdl::nn {

std::vector<std::string> ProfileInfo::channel_names() const {
  std::vector<std::string> names;
  for (const auto& t : tasks) {
    if (strands == 1) {
      names.push_back(t);
    } else {
      names.push_back(t + ".plus");
      names.push_back(t + ".minus");
    }
  }
  return names;
}

nlohmann::json profile_info_json(const ProfileInfo& p) {
  nlohmann::json j = {{"kind", p.tracks() ? "tracks" : "profile"},
                      {"tasks", p.tasks},
                      {"strands", p.strands},
                      {"output_length", p.output_length},
                      {"output_offset", p.output_offset},
                      {"loss", p.loss},
                      {"profile_head", p.profile_head}};
  if (p.tracks()) {
    j["bin"] = p.bin;
  } else {
    j["counts_head"] = p.counts_head;
    j["counts"] = "log(1 + total) per channel";
    j["bias_factorised"] = p.bias_factorised;
  }
  return j;
}

ProfileInfo read_profile_info(const nlohmann::json& j, const std::string& source) {
  ProfileInfo p;
  try {
    const std::string kind = j.at("kind").get<std::string>();
    if (kind != "profile" && kind != "tracks") throw ModelError("{}: unknown profile kind '{}'", source, kind);
    p.kind = kind == "tracks" ? CoverageModelKind::tracks : CoverageModelKind::profile;
    p.tasks = j.at("tasks").get<std::vector<std::string>>();
    p.strands = j.at("strands").get<int>();
    p.output_length = j.at("output_length").get<int64_t>();
    p.output_offset = j.at("output_offset").get<int64_t>();
    p.loss = j.value("loss", p.loss);
    p.profile_head = j.value("profile_head", 0);
    p.counts_head = j.value("counts_head", 1);
    p.bin = j.value("bin", int64_t{1});
    p.bias_factorised = j.value("bias_factorised", false);
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{}: its \"profile\" metadata is not what seqdl expects ({})", source, e.what());
  }
  if (p.tasks.empty() || (p.strands != 1 && p.strands != 2) || p.output_length < 1 || p.bin < 1 ||
      p.output_length % p.bin != 0 || p.output_offset < 0) {
    throw ModelError("{}: its \"profile\" metadata has impossible values (tasks, strands 1 or 2, output length a "
                     "multiple of the bin)", source);
  }
  return p;
}

double predicted_total(double log_counts) { return std::max(0.0, std::expm1(log_counts)); }

}  // namespace seqdl::nn
