// seqdl info: what a model file holds, or (--system) what this seqdl runs on.

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "nn/model_file.hpp"
#include "nn/runtime.hpp"
#include "util/error.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"
#include "util/threads.hpp"

namespace seqdl::cli {
namespace {

struct InfoOptions {
  std::string model;
  bool system = false;
  bool json = false;
};

void run_system_info(const InfoOptions& opt) {
  nn::RuntimeInfo rt = nn::runtime_info();
  const Provenance& prov = run_provenance();
  nlohmann::json j = {
      {"versions", prov.versions},
      {"cores_available", available_cores()},
      {"threads", resolved_threads()},
      {"torch_intra_op_threads", rt.intra_op_threads},
      {"torch_interop_threads", rt.interop_threads},
      {"torch_parallel_backend", rt.parallel_backend},
      {"blas_library", rt.blas_library},
      {"reference_blas", rt.reference_blas},
      {"mkldnn", rt.mkldnn},
  };
  if (opt.json) {
    fmt::print("{}\n", j.dump(2));
    return;
  }
  for (const auto& [name, version] : prov.versions) fmt::print("{:<24}{}\n", name, version);
  fmt::print("{:<24}{}\n", "cores available", available_cores());
  fmt::print("{:<24}{} intra-op, {} inter-op ({})\n", "torch threads", rt.intra_op_threads, rt.interop_threads,
             rt.parallel_backend);
  fmt::print("{:<24}{}{}\n", "BLAS", rt.blas_library.empty() ? "unknown" : rt.blas_library,
             rt.reference_blas ? " (reference BLAS: slow; install libopenblas0-openmp)" : "");
  fmt::print("{:<24}{}\n", "oneDNN convolutions", rt.mkldnn ? "yes" : "no");
}

std::string join(const nlohmann::json& list) {
  std::string out;
  for (const auto& v : list) out += (out.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

void run_model_info(const InfoOptions& opt) {
  if (!nn::is_seqdl_model(opt.model)) {
    throw ModelError("{} is not a seqdl model file (TorchScript files carry no seqdl metadata to show)", opt.model);
  }
  nn::ModelHeader h = nn::read_model_header(opt.model);
  const auto& m = h.metadata;
  nlohmann::json j = {{"file", opt.model},           {"bytes", h.file_bytes},       {"architecture", h.spec.to_json()},
                      {"input_length", h.input_length}, {"outputs", h.tasks},        {"parameters", h.parameters},
                      {"metadata", m}};
  if (opt.json) {
    fmt::print("{}\n", j.dump(2));
    return;
  }
  auto row = [](const std::string& k, const std::string& v) { fmt::print("{:<22}{}\n", k, v); };
  row("file", fmt::format("{} ({} bytes)", opt.model, with_commas(h.file_bytes)));
  row("architecture", fmt::format("{} ({} layers, {} parameters)", h.spec.name, h.spec.layers.size(),
                                  with_commas(static_cast<uint64_t>(h.parameters))));
  row("input", fmt::format("[batch, 4, {}] one-hot A,C,G,T; N and IUPAC codes: {}", h.input_length,
                           m.value("encoding", nlohmann::json::object()).value("unknown", "zero")));
  row("task type", m.value("task_type", "binary"));
  row("outputs", fmt::format("{}: {}", h.tasks, join(m.value("task_names", nlohmann::json::array()))));
  if (m.contains("validation")) {
    const auto& v = m["validation"];
    row("best epoch", fmt::format("{} of {} (valid AUPRC {:.4f}, AUROC {:.4f})", v.value("epoch", 0),
                                  m["training"].value("epochs_run", 0), v.value("auprc", 0.0), v.value("auroc", 0.0)));
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
  if (m.contains("provenance")) {
    const auto& p = m["provenance"];
    row("seqdl", p.value("versions", nlohmann::json::object()).value("seqdl", ""));
    row("command", p.value("command_line", ""));
  }
}

}  // namespace

Command add_info(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<InfoOptions>();
  CLI::App* app = parent.add_subcommand("info", "Show what a model file holds, or what seqdl runs on (--system)");
  app->add_option("model", opt->model, "A .seqdl model file");
  app->add_flag("--system", opt->system, "Versions, cores, LibTorch threads and BLAS of this installation");
  app->add_flag("--json", opt->json, "Print JSON instead of text");
  app->footer("Examples:\n  seqdl info model.seqdl\n  seqdl info model.seqdl --json\n  seqdl --threads 4 info --system");
  return {app, [opt] {
            if (opt->system == !opt->model.empty()) throw UsageError("give a model file or --system (not both)");
            if (opt->system) {
              run_system_info(*opt);
            } else {
              run_model_info(*opt);
            }
          }};
}

}  // namespace seqdl::cli
