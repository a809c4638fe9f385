// seqdl predict: a model over a genome (tracks, calls), intervals, sequences or reads.

#include "commands.hpp"
#include "options.hpp"
#include "predict/predict.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_predict(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<predict::PredictOptions>();
  auto edges = std::make_shared<std::string>("pad");
  auto rc = std::make_shared<std::string>("none");
  auto bam = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand("predict", "Run a model over a genome, intervals, sequences or reads");
  app->add_option("-m,--model", opt->model, "Model: a .seqdl file or a TorchScript file exported from PyTorch")
      ->required()->group("Model");
  app->add_option("--window", opt->overrides.window, "TorchScript models: the input length")
      ->check(integer_at_least(1))->group("Model");
  app->add_option("--task-names", opt->overrides.task_names, "TorchScript models: output names (comma-separated)")
      ->delimiter(',')->group("Model");
  app->add_option("--task-type", opt->overrides.task_type, "TorchScript models: binary, multilabel or multiclass")
      ->check(CLI::IsMember({"binary", "multilabel", "multiclass"}))->group("Model");

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
  app->add_option("--reference", opt->sequences.reference, "CRAM reference FASTA")->group("Input");
  app->add_option("--min-mapq", opt->sequences.read_filter.min_mapq, "Reads: minimum MAPQ")
      ->check(integer_at_least(0))->group("Input");
  app->add_option("--exclude-flags", opt->sequences.read_filter.exclude_flags, "Reads: skip reads with these flags")
      ->group("Input");
  app->add_flag("--read-orientation", opt->sequences.read_orientation, "Reads: as sequenced (reverse-complement "
                                                                        "reverse-strand reads)")->group("Input");
  app->add_option("--sequence-column", opt->sequences.sequence_column, "Tables: the sequence column")->group("Input");
  app->add_option("--id-column", opt->sequences.id_column, "Tables: the id column")->group("Input");

  app->add_option("--stride", opt->stride, "Genome scan: bases between windows (default: the window length); each "
                                           "window's value is written on its central STRIDE bases")
      ->check(integer_at_least(1))->group("Scan");
  app->add_option("--edges", *edges, "Genome scan: pad windows running off a contig end with N (every base gets a "
                                     "value), or skip them")
      ->check(CLI::IsMember({"pad", "skip"}))->capture_default_str()->group("Scan");
  app->add_option("--rc", *rc, "Combine with the reverse-complement strand: none, mean or max")
      ->check(CLI::IsMember({"none", "mean", "max"}))->capture_default_str()->group("Scan");
  app->add_option("--shard", opt->shard, "K/N: the K-th of N deterministic parts of the work (scatter in a workflow)")
      ->group("Scan");
  app->add_flag("--window-by-window", opt->window_by_window, "Genome scan: run every window through the whole model "
                                                             "(slower; to check the shared-trunk results)")->group("Scan");
  app->add_option("--batch", opt->batch, "Windows per batch")->check(integer_at_least(1))->capture_default_str()->group("Scan");

  app->add_option("-o,--output", opt->output, "Output file, or - for stdout")->required()->group("Output");
  app->add_option("--format", opt->format, "tsv, bedgraph, bigwig, bed (calls above --threshold, adjacent bins merged) "
                                           "or npy; default from the output's extension")
      ->check(CLI::IsMember({"tsv", "bedgraph", "bigwig", "bed", "npy"}))->group("Output");
  app->add_option("--task", opt->tasks, "Outputs to write, by name or index (repeat; default all). bedGraph, bigWig "
                                        "and BED write one file per task: OUT.<task>.EXT")->group("Output");
  app->add_flag("--logits", opt->logits, "Write raw model outputs instead of probabilities")->group("Output");
  app->add_option("--threshold", opt->threshold, "BED calls: the lowest value called")->capture_default_str()->group("Output");
  app->footer(
      "Examples:\n"
      "  seqdl predict --model m.seqdl --genome g.fa --stride 1 -o scores.bedGraph\n"
      "  seqdl predict --model exported.pt --window 101 --genome g.fa --regions chr2:1-50000 --rc mean -o tracks.bw\n"
      "  seqdl predict --model m.seqdl --sequences seqs.fa -o scores.tsv\n"
      "  seqdl predict --model m.seqdl --bam reads.bam -o reads.tsv");
  return {app, [opt, edges, rc, bam] {
            opt->edges = *edges == "skip" ? predict::Edges::skip : predict::Edges::pad;
            opt->strands = *rc == "mean" ? predict::Strands::mean : *rc == "max" ? predict::Strands::max : predict::Strands::none;
            if (!bam->empty()) {
              if (!opt->sequences.input.empty()) throw UsageError("give --sequences or --bam, not both");
              opt->sequences.input = *bam;
            }
            predict::PredictSummary s = predict::run_predict(*opt);
            std::string files;
            for (const auto& f : s.outputs) files += (files.empty() ? "" : ", ") + f;
            log::info("{} predictions in {:.2f} s ({}/s); wrote {}", with_commas(s.predictions), s.seconds,
                      si_number(static_cast<double>(s.predictions) / std::max(s.seconds, 1e-9)), files);
            if (s.padded > 0) log::info("{} windows ran off a contig end and were padded with N", with_commas(s.padded));
            log::debug("engine: {}", s.engine);
          }};
}

}  // namespace seqdl::cli
