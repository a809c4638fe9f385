// seqdl simulate: motifs + background -> a labelled set with known truth (pos.fa, neg.fa, labels.tsv,
// sites.bed, motifs.meme).

#include <memory>

#include "commands.hpp"
#include "motif/simulate.hpp"
#include "options.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_simulate(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<motif::SimulateOptions>();
  auto gc = std::make_shared<double>(0.5);
  auto forward_only = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand("simulate", "Plant motif instances into background sequence: a labelled set "
                                                    "with known truth");
  app->add_option("--motifs", opt->motifs, "Motifs to plant (MEME, JASPAR or TRANSFAC)")->required();
  app->add_option("-o,--output", opt->output, "Output directory")->required();
  app->add_option("--motif", opt->motif_ids, "Plant only these motifs (id or name; repeat; default: all but decoys)")
      ->allow_extra_args(false);
  app->add_option("-n,--n", opt->n, "Sequences")->check(integer_at_least(1))->capture_default_str();
  app->add_option("--length", opt->length, "Bases per sequence")->check(integer_at_least(1))->capture_default_str();
  app->add_option("--positives-fraction", opt->positives_fraction,
                  "Fraction of the sequences that are positives (per motif with --multilabel)")
      ->check(number_in(0, 1))->capture_default_str();
  app->add_option("--carrier-fraction", opt->carrier_fraction,
                  "Fraction of the positives that carry instances (the others are label noise)")
      ->check(number_in(0, 1))->capture_default_str();
  app->add_option("--instances", opt->instances, "Instances per carrying sequence (per motif with --multilabel)")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_option("--decoy", opt->decoy_ids, "Motifs planted into negatives as decoys (id or name; repeat)")
      ->allow_extra_args(false);
  app->add_option("--decoy-fraction", opt->decoy_fraction, "Fraction of the negatives that carry decoy instances")
      ->check(number_in(0, 1))->capture_default_str();
  add_choice(app, "--position", opt->placement, motif::kPlacementChoices,
             "Where instances go: uniform, or centre (normal around the middle)");
  app->add_option("--spread", opt->spread, "centre: standard deviation of an instance's centre in bp (default length/10)")
      ->check(number_in(0, 1e12));
  app->add_option("--gc", *gc, "GC fraction of generated background (0.5: uniform)")
      ->check(number_in(1e-9, 1 - 1e-9))->capture_default_str();
  app->add_option("--background", opt->background,
                  "FASTA whose sequences are dinucleotide-shuffled (and tiled or cropped) into the backgrounds, "
                  "instead of --gc");
  app->add_flag("--multilabel", opt->multilabel, "One 0/1 label column per motif, each motif planted independently");
  app->add_flag("--forward-only", *forward_only, "Plant instances on the + strand only (default: either strand)");
  app->footer(
      "Writes OUTPUT/pos.fa, neg.fa, labels.tsv (id, sequence, label [, a column per motif]), sites.bed (sequence,\n"
      "0-based start, end, motif id, 0, strand; decoys included) and motifs.meme (the planted motifs). Instances are\n"
      "sampled base by base from the motif's probabilities and never overlap. --seed makes the set reproducible.\n"
      "Examples:\n"
      "  seqdl simulate --motifs motifs.meme --n 5000 --length 200 -o sim/\n"
      "  seqdl simulate --motifs motifs.meme --motif CTCF_like --decoy GATA_like --gc 0.41 --position centre -o sim/\n"
      "  seqdl simulate --motifs motifs.meme --multilabel --positives-fraction 0.3 --background promoters.fa -o sim/");
  CLI::Option* gc_option = app->get_option("--gc");
  return {app, [opt, gc, gc_option, forward_only, &global] {
            if (gc_option->count() > 0) opt->gc = *gc;
            opt->both_strands = !*forward_only;
            opt->seed = global.seed;
            motif::SimulateSummary s = motif::simulate(*opt);
            log::info("wrote {} positives and {} negatives of {} bp with {} planted sites{} into {}",
                      with_commas(s.positives), with_commas(s.negatives), opt->length, with_commas(s.sites),
                      s.decoy_sites > 0 ? fmt::format(" and {} decoy sites", with_commas(s.decoy_sites)) : "",
                      opt->output);
          }};
}

}  // namespace seqdl::cli
