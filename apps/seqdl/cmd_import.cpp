// seqdl import: a TorchScript file -> a .seqdl model (its graph as seqdl's layers, so every fast path applies).

#include "commands.hpp"
#include "nn/import.hpp"
#include "options.hpp"
#include "torch_jobs.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_import(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<nn::ImportOptions>();
  CLI::App* app = parent.add_subcommand("import", "Import a TorchScript model into seqdl's layers and write it as a "
                                                  ".seqdl file");
  app->add_option("model", opt->model, "TorchScript file (torch.jit.script or torch.jit.trace) taking one-hot "
                                       "[batch, 4, length]")->required();
  app->add_option("-o,--output", opt->output, "The .seqdl file to write")->required();
  nn::ModelOverrides& o = opt->overrides;
  app->add_option("--window", o.window, "Input length (needed unless the file's seqdl.json records it)")
      ->check(integer_at_least(1));
  app->add_option("--task-names", o.task_names, "Output names (comma-separated)")->delimiter(',');
  add_choice(app, "--task-type", o.task_type, data::kTaskTypeChoices,
             "binary, multilabel or multiclass (softmax over the outputs)");
  add_choice(app, "--unknown", o.unknown, encode::kUnknownChoices,
             "One-hot of N and IUPAC codes the model expects: zero, uniform or iupac");
  app->footer("The import maps the frozen graph's ops onto seqdl's layers and checks the result against the "
              "TorchScript forward on random one-hot inputs; it fails (exit 2) naming the op or check that stops it.\n"
              "Examples:\n"
              "  seqdl import deepbind.pt --window 101 -o deepbind.seqdl\n"
              "  seqdl import basset.pt --window 600 --task-names ctcf,dnase --task-type multilabel -o basset.seqdl\n"
              "  seqdl info model.pt --window 1000     # whether it imports, its layers and fast paths");
  return {app, [opt] {
            nn::ImportSummary s = torch_commands().import_model(*opt);
            log::info("imported {}: {} layers, {} parameters, equal to the TorchScript forward within {:.1e}; wrote {}",
                      opt->model, s.layers, with_commas(static_cast<uint64_t>(s.parameters)), s.report.max_difference,
                      opt->output);
          }};
}

}  // namespace seqdl::cli
