// seqdl info: what a model file holds, or (--system) what this seqdl runs on.

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "nn/fast_paths.hpp"
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

// A .seqdl file is described from its header, without LibTorch.
void run_model_info(const InfoOptions& opt) {
  if (!nn::is_seqdl_model(opt.model)) {
    throw ModelError("{} is not a seqdl model file (TorchScript files carry no seqdl metadata to show)", opt.model);
  }
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
  app->add_option("model", opt->model, "A .seqdl model file");
  app->add_flag("--system", opt->system, "Versions, cores, LibTorch threads and BLAS of this installation");
  app->add_flag("--json", opt->json, "Print JSON instead of text");
  app->add_flag("--layers", opt->layers, "Also list the layers with their shapes and receptive fields");
  app->footer("Examples:\n  seqdl info model.seqdl\n  seqdl info model.seqdl --layers\n  seqdl info model.seqdl --json\n"
              "  seqdl --threads 4 info --system");
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
