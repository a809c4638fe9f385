// seqdl saliency: per-base attributions of a model output (gradient, gradient x input, integrated gradients).

#include "commands.hpp"
#include "interpret/saliency.hpp"
#include "options.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

void add_explain_options(CLI::App* app, nn::ModelOverrides& overrides, interpret::TargetSpec& target) {
  app->add_option("--window", overrides.window, "TorchScript models: the input length")
      ->check(integer_at_least(1))->group("Model");
  app->add_option("--task-names", overrides.task_names, "TorchScript models: output names (comma-separated)")
      ->delimiter(',')->group("Model");
  app->add_option("--target", target.target, "The output to explain: a task or class name, or its index (default 0)")
      ->group("Target");
  app->add_option("--position", target.position, "Per-position models: the output position to explain (default the "
                                                  "centre)")->check(integer_at_least(0))->group("Target");
  app->add_option("--span", target.window, "Per-position models: explain the sum over this many positions around "
                                           "--position")->check(integer_at_least(1))->group("Target");
  app->add_flag("--probability", target.probability, "Explain the probability instead of the logit")->group("Target");
}

Command add_saliency(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<interpret::SaliencyOptions>();
  auto method = std::make_shared<std::string>("grad-x-input");
  auto baseline = std::make_shared<std::string>("zeros");
  CLI::App* app = parent.add_subcommand("saliency", "Per-base attributions: gradient, grad-x-input, integrated gradients");
  app->add_option("sequences", opt->sequences.input, "Sequences to explain (FASTA/FASTQ, gz, or a table with "
                                                     "--sequence-column); longer ones are centre-cropped")->required();
  app->add_option("-m,--model", opt->model, "Model: .seqdl or TorchScript")->required()->group("Model");
  add_explain_options(app, opt->overrides, opt->target);
  app->add_option("--sequence-column", opt->sequences.sequence_column, "Tables: the sequence column")->group("Input");
  app->add_option("--id-column", opt->sequences.id_column, "Tables: the id column")->group("Input");
  app->add_option("--method", *method, "gradient, grad-x-input or integrated-gradients")
      ->check(CLI::IsMember({"gradient", "grad-x-input", "integrated-gradients"}))->capture_default_str()->group("Method");
  app->add_option("--steps", opt->steps, "Integrated gradients: points on the path")
      ->check(integer_at_least(1))->capture_default_str()->group("Method");
  app->add_option("--baseline", *baseline, "Integrated gradients: zeros, uniform (0.25 each) or shuffled "
                                           "(dinucleotide-shuffled copies of each sequence, averaged)")
      ->check(CLI::IsMember({"zeros", "uniform", "shuffled"}))->capture_default_str()->group("Method");
  app->add_option("--references", opt->references, "Shuffled baselines per sequence")
      ->check(integer_at_least(1))->capture_default_str()->group("Method");
  app->add_option("--tolerance", opt->tolerance, "Warn when integrated gradients' completeness error exceeds this "
                                                 "(relative)")->capture_default_str()->group("Method");
  app->add_flag("--hypothetical", opt->hypothetical, "Write hypothetical attributions for all four bases "
                                                     "(TF-MoDISco-lite's input; see also --one-hot)")->group("Output");
  app->add_option("-o,--output", opt->output, "Attributions .npy [n, 4, length]")->required()->group("Output");
  app->add_option("--ids", opt->ids_output, "Ids, one per line (default OUTPUT .npy -> .ids.txt)")->group("Output");
  app->add_option("--one-hot", opt->one_hot_output, "Also write the one-hot sequences .npy [n, 4, length]")->group("Output");
  app->add_option("--stats", opt->stats_output, "TSV per sequence: score, baseline score, attribution sum, "
                                                "completeness error")->group("Output");
  app->add_option("--plot", opt->plot_dir, "Folder for an SVG logo per sequence")->group("Output");
  app->add_option("--plot-max", opt->plot_max, "Logos to draw at most")->capture_default_str()->group("Output");
  app->add_option("--batch", opt->batch, "Sequences per batch")->check(integer_at_least(1))->capture_default_str();
  app->footer(
      "Examples:\n"
      "  seqdl saliency --model m.seqdl --method integrated-gradients --target 0 -o attr.npy seqs.fa\n"
      "  seqdl saliency --model m.seqdl --method integrated-gradients --baseline shuffled --references 20 \\\n"
      "      --hypothetical --one-hot ohe.npy -o hyp.npy --plot logos/ seqs.fa");
  return {app, [opt, method, baseline, &global] {
            opt->method = interpret::parse_saliency_method(*method);
            opt->baseline = interpret::parse_baseline(*baseline);
            opt->seed = global.seed;
            auto s = interpret::run_saliency(*opt);
            log::info("explained the {} for {} sequences; wrote {}", s.target, with_commas(s.sequences), opt->output);
            s.input.log();
            if (opt->method == interpret::SaliencyMethod::integrated_gradients) {
              log::info("integrated gradients: worst completeness error {:.2g}%{}", 100 * s.worst_error,
                        s.over_tolerance ? fmt::format(" ({} sequences above the tolerance)", s.over_tolerance) : "");
            }
          }};
}

}  // namespace seqdl::cli
