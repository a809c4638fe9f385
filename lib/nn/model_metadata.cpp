#include "nn/model_metadata.hpp"

#include "nn/fast_paths.hpp"
#include "util/error.hpp"
#include "util/json_number.hpp"
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

// A number field for display, whatever its JSON kind: integers >= 0 with thousands separators, other numbers as
// written, anything else (absent, a string) as "?". json::value(key, 0) would convert a float such as 1e30 to int
// with undefined behaviour.
std::string number(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) return "?";
  const nlohmann::json& v = obj[key];
  if (auto n = json_uint64(v)) return with_commas(*n);
  return v.is_number() ? v.dump() : "?";
}

double real(const nlohmann::json& obj, const char* key) {
  return obj.is_object() && obj.contains(key) && obj[key].is_number() ? obj[key].get<double>() : 0.0;
}

std::vector<std::pair<std::string, std::string>> describe_rows(const ModelHeader& h, const std::string& path) {
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
    row("best epoch", fmt::format("{} of {} (valid {})", number(v, "epoch"),
                                  number(m.value("training", nlohmann::json::object()), "epochs_run"),
                                  join(metrics, ", ")));
  }
  if (m.contains("splits")) {
    const auto& s = m["splits"];
    row("splits", fmt::format("{} train, {} valid, {} test", number(s, "train"), number(s, "valid"), number(s, "test")));
  }
  if (m.contains("data")) {
    for (const auto& src : m["data"].value("sources", nlohmann::json::array())) {
      row("data", fmt::format("{} {} ({} records, {} bytes, md5 {})", src.value("role", ""), src.value("path", ""),
                              number(src, "records"), number(src, "bytes"),
                              src.value("md5", "")));
    }
  }
  if (m.contains("training")) {
    const auto& t = m["training"];
    row("training", fmt::format("{} batch {}, lr {}, seed {}, threads {}, precision {}{}", t.value("optimizer", ""),
                                number(t, "batch"), real(t, "lr"), number(t, "seed"), number(t, "threads"),
                                t.value("precision", ""), t.value("rc_augment", false) ? ", RC augmentation" : ""));
  }
  if (m.contains("source")) {
    const auto& s = m["source"];
    row("imported from", fmt::format("{} ({} bytes, md5 {})", s.value("path", ""), with_commas(s.value("bytes", 0)),
                                     s.value("md5", "")));
  }
  if (m.contains("provenance")) {
    const auto& p = m["provenance"];
    row("seqdl", p.value("versions", nlohmann::json::object()).value("seqdl", ""));
    row("command", p.value("command_line", ""));
  }
  for (auto& [key, value] : describe_fast_paths(Graph(h.spec, h.input_length, h.tasks))) row(key, value);
  return rows;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> describe_model(const ModelHeader& h, const std::string& path) {
  if (!h.metadata.is_object()) throw ModelError("{}: its metadata is not a JSON object", path);
  try {
    return describe_rows(h, path);
  } catch (const nlohmann::json::exception& e) {
    // A field of another type than seqdl writes (a crafted or hand-edited file).
    throw ModelError("{}: its metadata is not what seqdl writes ({})", path, e.what());
  }
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
