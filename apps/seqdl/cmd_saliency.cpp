// seqdl saliency: per-base attributions of a model output (gradient, gradient x input, integrated gradients).

#include "commands.hpp"
#include "interpret/saliency.hpp"
#include "options.hpp"
#include "torch_jobs.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_saliency(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<interpret::SaliencyOptions>();
  CLI::App* app = parent.add_subcommand("saliency", "Per-base attributions: gradient, grad-x-input, integrated gradients");
  app->add_option("sequences", opt->sequences.input, "Sequences to explain (FASTA/FASTQ, gz, or a table with "
                                                     "--sequence-column); longer ones are centre-cropped")->required();
  add_model_options(app, opt->model, opt->overrides);
  add_target_options(app, opt->target);
  add_table_options(app, opt->sequences);
  add_choice(app, "--method", opt->method, interpret::kSaliencyMethodChoices,
             "gradient, grad-x-input or integrated-gradients")->group("Method");
  app->add_option("--steps", opt->steps, "Integrated gradients: points on the path")
      ->check(integer_at_least(1))->capture_default_str()->group("Method");
  add_choice(app, "--baseline", opt->baseline, interpret::kBaselineChoices,
             "Integrated gradients: zeros, uniform (0.25 each) or shuffled (dinucleotide-shuffled copies of each "
             "sequence, averaged)")->group("Method");
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
  return {app, [opt, &global] {
            opt->seed = global.seed;
            auto s = torch_commands().saliency(*opt);
            log::info("explained the {} for {} sequences; wrote {}", s.target, with_commas(s.sequences), opt->output);
            s.input.log();
            if (opt->method == interpret::SaliencyMethod::integrated_gradients) {
              log::info("integrated gradients: worst completeness error {:.2g}%{}", 100 * s.worst_error,
                        s.over_tolerance ? fmt::format(" ({} sequences above the tolerance)", s.over_tolerance) : "");
            }
          }};
}

}  // namespace seqdl::cli
