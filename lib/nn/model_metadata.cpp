#include "nn/model_metadata.hpp"

#include "nn/fast_paths.hpp"
#include "util/text.hpp"

namespace seqdl::nn {

nlohmann::json model_metadata(const ModelInfo& info, const MetadataParts& parts) {
  nlohmann::json m = {
      {"task_type", data::task_type_name(info.task_type)},
      {"task_names", info.task_names},
      {"input_length", info.input_length},
      {"encoding",
       {{"layout", "[batch, 4, length]"}, {"channels", "ACGT"}, {"unknown", encode::unknown_name(info.unknown)},
        {"pad", "N"}}},
  };
  auto put = [&](const char* key, const nlohmann::json& value) {
    if (!value.is_null()) m[key] = value;
  };
  put("data", parts.data);
  put("splits", parts.splits);
  put("training", parts.training);
  put("validation", parts.validation);
  put("profile", parts.profile);
  put("source", parts.source);
  put("provenance", parts.provenance);
  return m;
}

namespace {

std::string list_text(const nlohmann::json& list) {
  std::vector<std::string> items;
  for (const auto& v : list) items.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return join(items, ", ");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> describe_model(const ModelHeader& h, const std::string& path) {
  const auto& m = h.metadata;
  std::vector<std::pair<std::string, std::string>> rows;
  auto row = [&](std::string k, std::string v) { rows.emplace_back(std::move(k), std::move(v)); };
  row("file", fmt::format("{} ({} bytes)", path, with_commas(h.file_bytes)));
  row("architecture", fmt::format("{} ({} layers, {} parameters)", h.spec.name, h.spec.layers.size(),
                                  h.parameters < 0 ? "?" : with_commas(static_cast<uint64_t>(h.parameters))));
  row("input", fmt::format("[batch, 4, {}] one-hot A,C,G,T; N and IUPAC codes: {}", h.input_length,
                           m.value("encoding", nlohmann::json::object()).value("unknown", "zero")));
  row("task type", m.value("task_type", "binary"));
  row("outputs", fmt::format("{}: {}", h.tasks, list_text(m.value("task_names", nlohmann::json::array()))));
  if (m.contains("validation") && m["validation"].is_object() && m["validation"].size() > 1) {
    const auto& v = m["validation"];
    std::vector<std::string> metrics;
    for (const auto& [name, value] : v.items()) {
      if (name != "epoch" && value.is_number()) metrics.push_back(fmt::format("{} {:.4f}", name, value.get<double>()));
    }
    row("best epoch", fmt::format("{} of {} (valid {})", v.value("epoch", 0),
                                  m.value("training", nlohmann::json::object()).value("epochs_run", 0),
                                  join(metrics, ", ")));
  }
  if (m.contains("splits")) {
    const auto& s = m["splits"];
    row("splits", fmt::format("{} train, {} valid, {} test", with_commas(s.value("train", 0)),
                              with_commas(s.value("valid", 0)), with_commas(s.value("test", 0))));
  }
  if (m.contains("data")) {
    for (const auto& src : m["data"].value("sources", nlohmann::json::array())) {
      row("data", fmt::format("{} {} ({} records, {} bytes, md5 {})", src.value("role", ""), src.value("path", ""),
                              with_commas(src.value("records", 0)), with_commas(src.value("bytes", 0)),
                              src.value("md5", "")));
    }
  }
  if (m.contains("training")) {
    const auto& t = m["training"];
    row("training", fmt::format("{} batch {}, lr {}, seed {}, threads {}, precision {}{}", t.value("optimizer", ""),
                                t.value("batch", 0), t.value("lr", 0.0), t.value("seed", 0), t.value("threads", 0),
                                t.value("precision", ""), t.value("rc_augment", false) ? ", RC augmentation" : ""));
  }
  if (m.contains("source")) {
    const auto& s = m["source"];
    row("imported from", fmt::format("{} (sha256 {})", s.value("path", ""), s.value("sha256", "")));
  }
  if (m.contains("provenance")) {
    const auto& p = m["provenance"];
    row("seqdl", p.value("versions", nlohmann::json::object()).value("seqdl", ""));
    row("command", p.value("command_line", ""));
  }
  for (auto& [key, value] : describe_fast_paths(Graph(h.spec, h.input_length, h.tasks))) row(key, value);
  return rows;
}

nlohmann::json describe_model_json(const ModelHeader& h, const std::string& path) {
  Graph graph(h.spec, h.input_length, h.tasks);
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& [key, value] : describe_fast_paths(graph)) paths[key] = value;
  return {{"file", path},        {"bytes", h.file_bytes},   {"architecture", h.spec.to_json()},
          {"input_length", h.input_length}, {"outputs", h.tasks}, {"parameters", h.parameters},
          {"layers", describe_layers(graph)}, {"fast_paths", paths}, {"metadata", h.metadata}};
}

}  // namespace seqdl::nn
