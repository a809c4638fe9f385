// seqdl ism: in-silico saturation mutagenesis (naive, or fast by local recomputation).

#include "commands.hpp"
#include "interpret/ism.hpp"
#include "options.hpp"
#include "torch_jobs.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_ism(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<interpret::IsmOptions>();
  auto first = std::make_shared<int64_t>(0);
  auto last = std::make_shared<int64_t>(0);
  CLI::App* app = parent.add_subcommand("ism", "In-silico saturation mutagenesis: the effect of every substitution");
  app->add_option("sequences", opt->sequences.input, "Sequences (FASTA/FASTQ, gz, or a table with --sequence-column); "
                                                     "longer ones are centre-cropped to the window")->required();
  add_model_options(app, opt->model, opt->overrides);
  add_target_options(app, opt->target);
  add_table_options(app, opt->sequences);
  add_choice(app, "--method", opt->method, interpret::kIsmMethodChoices,
             "fast (recompute only what a mutation reaches), naive, or auto (fast where the model allows it)")
      ->group("Method");
  app->add_option("--start", *first, "First position to mutate (1-based, within the window)")
      ->check(integer_at_least(1))->group("Method");
  app->add_option("--end", *last, "Last position to mutate (1-based, inclusive)")->check(integer_at_least(1))->group("Method");
  app->add_option("-o,--output", opt->output, "Deltas .npy [n, 4, length] (mutant - reference; 0 at the reference "
                                              "base)")->required()->group("Output");
  app->add_option("--ids", opt->ids_output, "Ids, one per line (default OUTPUT .npy -> .ids.txt)")->group("Output");
  app->add_option("--tsv", opt->tsv_output, "Long TSV: id, position, ref, alt, delta")->group("Output");
  app->add_option("--summary", opt->summary_output, "TSV per position: the largest effect of any substitution")
      ->group("Output");
  app->add_option("--plot", opt->plot_dir, "Folder for an SVG heatmap per sequence")->group("Output");
  app->add_option("--plot-max", opt->plot_max, "Heatmaps to draw at most")->capture_default_str()->group("Output");
  app->add_option("--batch", opt->batch, "Mutants per batch")->check(integer_at_least(1))->capture_default_str();
  app->footer(
      "Examples:\n"
      "  seqdl ism --model m.seqdl --method fast -o deltas.npy seqs.fa\n"
      "  seqdl ism --model exported.pt --window 600 --method naive --target 0 -o deltas.npy seqs.fa");
  return {app, [opt, first, last] {
            opt->start = *first > 0 ? *first - 1 : 0;
            opt->end = *last;
            auto s = torch_commands().ism(*opt);
            log::info("ISM of {} sequences in {:.2f} s ({:.3g} sequences/s, {}); wrote {}", with_commas(s.sequences),
                      s.seconds, static_cast<double>(s.sequences) / std::max(s.seconds, 1e-9), s.method, opt->output);
            s.input.log();
          }};
}

}  // namespace seqdl::cli
