// seqdl predict: a model over a genome (tracks, calls), intervals, sequences or reads.

#include "commands.hpp"
#include "options.hpp"
#include "predict/predict.hpp"
#include "torch_jobs.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_predict(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<predict::PredictOptions>();
  auto bam = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand("predict", "Run a model over a genome, intervals, sequences or reads");
  add_model_options(app, opt->model, opt->overrides);

  app->add_option("--genome", opt->genome, "Indexed FASTA to scan (every contig, or --regions)")->group("Input");
  app->add_option("--regions", opt->regions, "Parts of the genome to scan: BED files or region strings "
                                             "(chr1:1,000-2,000, 1-based inclusive)")->group("Input");
  app->add_option("--intervals", opt->intervals, "With --genome: one prediction per BED/narrowPeak interval (a window "
                                                 "centred on its summit or centre)")->group("Input");
  app->add_option("--sequences", opt->sequences.input, "One prediction per sequence: FASTA/FASTQ (gz, or -) or a table "
                                                       "with --sequence-column; cropped or N-padded to the window")
      ->group("Input");
  app->add_option("--bam", *bam, "One prediction per read of a SAM/BAM/CRAM file (--region, --min-mapq, ...)")->group("Input");
  app->add_option("--region", opt->sequences.regions, "Reads: the region to read (needs the index)")->group("Input");
  add_read_options(app, opt->sequences);
  add_table_options(app, opt->sequences);

  app->add_option("--stride", opt->stride, "Genome scan: bases between windows (default: the window length); each "
                                           "window's value is written on its central STRIDE bases")
      ->check(integer_at_least(1))->group("Scan");
  add_choice(app, "--edges", opt->edges, predict::kEdgeChoices,
             "Genome scan: pad windows running off a contig end with N (every base gets a value), or skip them")
      ->group("Scan");
  add_choice(app, "--rc", opt->strands, infer::kStrandChoices,
             "Combine with the reverse-complement strand: none, mean or max")->group("Scan");
  add_choice(app, "--strand-tracks", opt->strand_tracks, predict::kStrandTrackChoices,
             "Genome scan, per-position models: write each strand as tracks of their own (OUT.<task>.plus.EXT, "
             "OUT.<task>.minus.EXT): auto (for models trained on a stranded annotation, such as splice models, "
             "unless --rc), both or none")->group("Scan");
  app->add_option("--shard", opt->shard, "K/N: the K-th of N deterministic parts of the work (scatter in a workflow)")
      ->group("Scan");
  app->add_flag("--window-by-window", opt->window_by_window, "Genome scan: run every window through the whole model "
                                                             "(slower; to check the shared-trunk results)")->group("Scan");
  app->add_option("--batch", opt->batch, "Windows per batch")->check(integer_at_least(1))->capture_default_str()->group("Scan");

  app->add_option("-o,--output", opt->output, "Output file, or - for stdout")->required()->group("Output");
  add_choice(app, "--format", opt->format, predict::kOutputFormatChoices,
             "tsv, bedgraph, bigwig, bed (calls above --threshold, adjacent bins merged) or npy; default from the "
             "output's extension")->group("Output");
  app->add_option("--task", opt->tasks, "Outputs to write, by name or index (repeat; default all). bedGraph, bigWig "
                                        "and BED write one file per task: OUT.<task>.EXT")->group("Output");
  app->add_flag("--logits", opt->logits, "Write raw model outputs instead of probabilities")->group("Output");
  app->add_option("--threshold", opt->threshold, "BED calls: the lowest value called")->capture_default_str()->group("Output");
  app->footer(
      "Examples:\n"
      "  seqdl predict --model m.seqdl --genome g.fa --stride 1 -o scores.bedGraph\n"
      "  seqdl predict --model exported.pt --window 101 --genome g.fa --regions chr2:1-50000 --rc mean -o tracks.bw\n"
      "  seqdl predict --model m.seqdl --sequences seqs.fa -o scores.tsv\n"
      "  seqdl predict --model m.seqdl --bam reads.bam -o reads.tsv\n"
      "  seqdl predict --model splice.seqdl --genome g.fa --regions V --task acceptor --task donor -o splice.bw\n"
      "      (a splice model: splice.acceptor.plus.bw, splice.acceptor.minus.bw, splice.donor.plus.bw, ...)");
  return {app, [opt, bam] {
            if (!bam->empty()) {
              if (!opt->sequences.input.empty()) throw UsageError("give --sequences or --bam, not both");
              opt->sequences.input = *bam;
            }
            predict::PredictSummary s = torch_commands().predict(*opt);
            log::info("{} predictions in {:.2f} s ({}/s); wrote {}", with_commas(s.predictions), s.seconds,
                      si_number(static_cast<double>(s.predictions) / std::max(s.seconds, 1e-9)), join(s.outputs, ", "));
            if (s.padded > 0) log::info("{} windows ran off a contig end and were padded with N", with_commas(s.padded));
            log::debug("engine: {}", s.engine);
          }};
}

}  // namespace seqdl::cli
