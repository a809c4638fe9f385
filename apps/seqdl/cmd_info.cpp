// seqdl info: what a model file holds, or (--system) what this seqdl runs on.

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "nn/fast_paths.hpp"
#include "nn/import.hpp"
#include "nn/model_file.hpp"
#include "nn/model_metadata.hpp"
#include "nn/runtime.hpp"
#include "torch_jobs.hpp"
#include "util/error.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"
#include "util/threads.hpp"

namespace seqdl::cli {
namespace {

struct InfoOptions {
  std::string model;
  nn::ModelOverrides overrides;  // TorchScript files: --window, --no-import
  bool system = false;
  bool json = false;
  bool layers = false;
};

void run_system_info(const InfoOptions& opt) {
  nn::RuntimeInfo rt = torch_commands().runtime_info();
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

std::string import_text(const nn::ImportReport& r) {
  if (r.imported) {
    return fmt::format("yes: equal to the TorchScript forward within {:.1e} (relative) on {} random inputs",
                       r.max_difference, r.checked_inputs);
  }
  return "no, runs as TorchScript: " + r.stopped_by;
}

// A TorchScript file, read by the LibTorch half: whether it imports, and if so its layers and fast paths.
void run_torchscript_info(const InfoOptions& opt) {
  nn::TorchScriptInfo t = torch_commands().describe_torchscript(opt.model, opt.overrides);
  const nn::ModelInfo& info = t.info;
  std::optional<nn::Graph> graph;
  if (t.report.imported) graph.emplace(nn::ArchSpec::from_json(t.report.spec, opt.model), info.input_length, info.heads[0].channels);
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(opt.model, ec);
  std::vector<std::pair<std::string, std::string>> rows = {
      {"file", fmt::format("{} (TorchScript, {} bytes)", opt.model, with_commas(bytes))},
      {"imported", import_text(t.report)},
      {"input", fmt::format("[batch, 4, {}] one-hot A,C,G,T; N and IUPAC codes: {}", info.input_length,
                            encode::unknown_name(info.unknown))},
      {"task type", std::string(data::task_type_name(info.task_type))},
      {"outputs", fmt::format("{}: {}", info.task_names.size(), join(info.task_names, ", "))}};
  for (const auto& h : info.heads) {
    rows.emplace_back("head " + h.name, h.per_position ? fmt::format("[batch, {}, {}]", h.channels, h.positions)
                                                       : fmt::format("[batch, {}]", h.channels));
  }
  if (graph) {
    for (auto& row : nn::describe_fast_paths(*graph)) rows.push_back(row);
  } else {
    rows.emplace_back("fast paths", "none: the module runs as TorchScript, its layers not visible");
  }
  if (opt.json) {
    nlohmann::json j = {{"file", opt.model}, {"bytes", bytes}, {"form", nn::model_form_name(info.form)},
                        {"imported", t.report.imported}, {"stopped_by", t.report.stopped_by},
                        {"max_difference", t.report.max_difference}, {"input_length", info.input_length},
                        {"task_type", data::task_type_name(info.task_type)}, {"task_names", info.task_names}};
    if (graph) {
      j["architecture"] = t.report.spec;
      j["layers"] = nn::describe_layers(*graph);
      for (const auto& [key, value] : nn::describe_fast_paths(*graph)) j["fast_paths"][key] = value;
    }
    fmt::print("{}\n", j.dump(2));
    return;
  }
  for (const auto& [key, value] : rows) fmt::print("{:<22}{}\n", key, value);
  if (graph) {
    fmt::print("\n");
    for (const auto& line : nn::describe_layers(*graph)) fmt::print("{}\n", line);
  }
}

// A .seqdl file is described from its header, without LibTorch.
void run_model_info(const InfoOptions& opt) {
  if (!nn::is_seqdl_model(opt.model)) return run_torchscript_info(opt);
  if (opt.overrides.window > 0) throw UsageError("--window: {} is a seqdl model, which records its input length", opt.model);
  nn::ModelHeader h = nn::read_model_header(opt.model);
  if (opt.json) {
    fmt::print("{}\n", nn::describe_model_json(h, opt.model).dump(2));
    return;
  }
  for (const auto& [key, value] : nn::describe_model(h, opt.model)) fmt::print("{:<22}{}\n", key, value);
  if (opt.layers) {
    fmt::print("\n");
    for (const auto& line : nn::describe_layers(nn::Graph(h.spec, h.input_length, h.tasks))) fmt::print("{}\n", line);
  }
}

}  // namespace

Command add_info(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<InfoOptions>();
  CLI::App* app = parent.add_subcommand("info", "Show what a model file holds, or what seqdl runs on (--system)");
  app->add_option("model", opt->model, "A .seqdl model file, or a TorchScript file (is it imported into seqdl's "
                                       "layers, and which fast paths apply)");
  app->add_option("--window", opt->overrides.window, "TorchScript files: the input length (unless its seqdl.json "
                                                     "records it)")->check(integer_at_least(1));
  app->add_flag("--no-import", opt->overrides.no_import, "TorchScript files: describe the module without importing it");
  app->add_flag("--system", opt->system, "Versions, cores, LibTorch threads and BLAS of this installation");
  app->add_flag("--json", opt->json, "Print JSON instead of text");
  app->add_flag("--layers", opt->layers, "Also list the layers with their shapes and receptive fields");
  app->footer("Examples:\n  seqdl info model.seqdl\n  seqdl info model.seqdl --layers\n  seqdl info model.seqdl --json\n"
              "  seqdl info exported.pt --window 600\n  seqdl --threads 4 info --system");
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
