// seqdl saliency: per-base attributions of a model output (gradient, gradient x input, integrated gradients).

#include <algorithm>

#include "commands.hpp"
#include "interpret/saliency.hpp"
#include "options.hpp"
#include "torch_jobs.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

namespace {

// --baseline: a word (zeros, uniform, shuffled) or a file of references.
void set_baseline(interpret::SaliencyOptions& o, const std::string& text) {
  for (const auto& c : interpret::kBaselineChoices) {
    if (c.name == text) {
      o.baseline = c.value;
      return;
    }
  }
  o.baseline = interpret::Baseline::file;
  o.baseline_file = text;
}

}  // namespace

Command add_saliency(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<interpret::SaliencyOptions>();
  auto hypothetical = std::make_shared<std::vector<std::string>>();
  CLI::App* app = parent.add_subcommand(
      "saliency", "Per-base attributions: gradient, grad-x-input, integrated gradients, DeepLIFT/DeepSHAP");
  app->add_option("sequences", opt->sequences.input, "Sequences to explain (FASTA/FASTQ, gz, or a table with "
                                                     "--sequence-column); longer ones are centre-cropped");
  app->add_option("--genome", opt->genome, "Indexed FASTA: explain windows of the model's length centred on --regions "
                                           "(summits for narrowPeak); -o is then a track (.bw/.bedGraph)")->group("Input");
  app->add_option("--regions", opt->regions, "With --genome: BED/narrowPeak files or region strings")->group("Input");
  app->add_option("--shard", opt->shard, "With --genome: K/N, the K-th of N contiguous parts of the regions")->group("Input");
  add_model_options(app, opt->model, opt->overrides);
  add_target_options(app, opt->target);
  add_table_options(app, opt->sequences);
  add_choice(app, "--method", opt->method, interpret::kSaliencyMethodChoices,
             "gradient, grad-x-input, integrated-gradients, deeplift (one reference) or deepshap (DeepLIFT averaged "
             "over references)")->group("Method");
  app->add_option("--steps", opt->steps, "Integrated gradients: points on the path")
      ->check(integer_at_least(1))->capture_default_str()->group("Method");
  app->add_option_function<std::string>("--baseline", [opt](const std::string& v) { set_baseline(*opt, v); },
                                        "References: zeros, uniform (0.25 each), shuffled (dinucleotide-shuffled copies "
                                        "of each sequence; DeepSHAP's default), or a file: .npy [n, R, 4, L] or "
                                        "[R, 4, L], or FASTA (every record a reference for every sequence)")
      ->group("Method");
  app->add_option("--references", opt->references, "Shuffled references per sequence (default 20 for DeepSHAP, 10 for "
                                                   "integrated gradients)")->group("Method");
  app->add_option("--tolerance", opt->tolerance, "Warn when the relative completeness error exceeds this (default "
                                                 "1e-3 for DeepLIFT, 0.05 for integrated gradients)")->group("Method");
  CLI::Option* hyp_option = app->add_option("--hypothetical", *hypothetical,
                  "Hypothetical contributions for all four bases (TF-MoDISco's input) to this .npy; without a file, "
                  "-o gets them instead of the observed bases' contributions")
      ->expected(0, 1)->group("Output");
  app->add_option("-o,--output", opt->output, "Attributions .npy [n, 4, length] (with --genome: a .bw/.bedGraph track "
                                              "of the observed bases' contributions, averaged where windows overlap)")
      ->required()->group("Output");
  app->add_option("--contributions", opt->contributions_output, "With --genome: the contributions .npy too")->group("Output");
  app->add_option("--ids", opt->ids_output, "Ids, one per line (default OUTPUT .npy -> .ids.txt)")->group("Output");
  app->add_option("--one-hot,--onehot", opt->one_hot_output, "Also write the one-hot sequences .npy [n, 4, length]")
      ->group("Output");
  app->add_option("--stats", opt->stats_output, "TSV per sequence: score, reference score, attribution sum, "
                                                "completeness error")->group("Output");
  app->add_option("--plot", opt->plot_dir, "Folder for an SVG logo per sequence")->group("Output");
  app->add_option("--plot-max", opt->plot_max, "Logos to draw at most")->capture_default_str()->group("Output");
  app->add_option("--batch", opt->batch, "Sequences per batch")->check(integer_at_least(1))->capture_default_str();
  app->footer(
      "DeepLIFT's rules are exact on every seqdl layer (summation to delta is checked for every input-reference pair);\n"
      "LSTMs and attention have no exact rule and are refused by name (use integrated gradients there).\n"
      "Examples:\n"
      "  seqdl saliency --model m.seqdl --method deepshap --references 20 --target 0 --hypothetical hyp.npy \\\n"
      "      --onehot x.npy -o contrib.npy seqs.fa\n"
      "  seqdl saliency --model exported.pt --window 600 --method deepshap --baseline refs.npy -o contrib.npy seqs.fa\n"
      "  seqdl saliency --model m.seqdl --method deepshap --genome g.fa --regions peaks.bed -o contrib.bw\n"
      "  seqdl saliency --model m.seqdl --method integrated-gradients --baseline shuffled --references 20 \\\n"
      "      --hypothetical --one-hot ohe.npy -o hyp.npy --plot logos/ seqs.fa");
  return {app, [opt, hypothetical, hyp_option, &global] {
            opt->seed = global.seed;
            if (hyp_option->count() > 0) {
              bool file = !hypothetical->empty() && !hypothetical->front().empty();
              if (file) {
                opt->hypothetical_output = hypothetical->front();
              } else {
                opt->hypothetical = true;
              }
            }
            auto s = torch_commands().saliency(*opt);
            log::info("explained the {} for {} sequences by {} in {:.2f} s ({:.3g} sequences/s); wrote {}", s.target,
                      with_commas(s.sequences), s.method, s.seconds,
                      static_cast<double>(s.sequences) / std::max(s.seconds, 1e-9), join(s.outputs, ", "));
            s.input.log();
            if (opt->method != interpret::SaliencyMethod::gradient && opt->method != interpret::SaliencyMethod::grad_x_input) {
              log::info("worst completeness error {:.2g}%{}", 100 * s.worst_error,
                        s.over_tolerance ? fmt::format(" ({} sequences above the tolerance {:.2g})", s.over_tolerance,
                                                       s.tolerance)
                                         : "");
            }
          }};
}

}  // namespace seqdl::cli
