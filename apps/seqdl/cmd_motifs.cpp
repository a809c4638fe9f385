// seqdl motifs: work with motifs. Each subcommand (extract, compare, scan, ...) is added by its own function below
// and returns the function that runs it; a new subcommand is one more add_<name> and one more line in
// add_motifs.

#include <memory>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "motif/compare.hpp"
#include "motif/scan.hpp"
#include "motif_extract/extract.hpp"
#include "options.hpp"
#include "torch_jobs.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {
namespace {

using Subcommand = std::pair<CLI::App*, std::function<void()>>;

Subcommand add_extract(CLI::App* parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<motif::ExtractOptions>();
  auto no_influence = std::make_shared<bool>(false);
  CLI::App* app = parent->add_subcommand("extract", "A model's first-layer filters as motifs (Basset/DeepBind style)");
  app->add_option("--model", opt->model, "Model (.seqdl; TorchScript files do not show their layers)")->required();
  app->add_option("--sequences", opt->sequences.input,
                  "Sequences to collect filter sites from, e.g. the positives: FASTA/FASTQ (or - for stdin), indexed "
                  "FASTA with --regions, SAM/BAM/CRAM, or a table")
      ->required();
  app->add_option("-o,--output", opt->output, "Motifs in MEME minimal format ('-' for stdout)")->required();
  app->add_option("--summary", opt->summary,
                  "TSV per filter: filter sites information_content influence consensus max_activation written");
  app->add_option("--threshold", opt->threshold,
                  "A window is a site when its activation is > 0 and at least this fraction of the filter's maximum "
                  "over the set")
      ->check(number_in(0, 1))->capture_default_str();
  app->add_option("--min-sites", opt->min_sites, "Filters with fewer sites are not written (the summary lists them)")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_flag("--both-strands", opt->both_strands,
                "Also run the filters over each sequence's reverse complement and collect its sites");
  add_choice(app, "--sites", opt->sites, motif::kSiteModeChoices,
             "all (every window over the threshold, Basset) or best (a sequence's best window, if over the "
             "threshold, DeepBind)");
  app->add_option("--trim", opt->trim_bits,
                  "Drop flanking motif positions with less information than this (bits; 0 keeps the filter's width)")
      ->check(number_in(0, 2))->capture_default_str();
  app->add_flag("--no-influence", *no_influence, "Skip the influence (one network pass per filter)");
  app->add_option("--influence-sequences", opt->influence_sequences,
                  "Average the influence over at most this many sequences, evenly spaced through the set (0: all)")
      ->check(integer_at_least(0))->capture_default_str();
  add_choice(app, "--influence-scale", opt->influence_scale, motif::kInfluenceScaleChoices,
             "Influence on the probability (sigmoid/softmax) or logit scale");
  app->add_option("--batch", opt->batch, "Sequences per batch")->check(integer_at_least(1))->capture_default_str();
  add_source_options(app, opt->sequences);
  app->footer(
      "The filter output is the model's first convolution with the position-wise layers after it (batch norm,\n"
      "ReLU...). Every window of the filter's width inside a sequence, without N, is scored; the windows whose\n"
      "activation reaches --threshold of the filter's maximum over the set are counted into a position frequency\n"
      "matrix, written as MOTIF filter<i> <consensus> with nsites = sites (i: the 0-based channel). Influence: the\n"
      "mean over the sequences (cropped or N-padded to the model's input length) of output(intact) - output(with\n"
      "the filter's output set to 0), per task; positive when the filter raises the prediction. It costs one pass of\n"
      "the rest of the network per filter and sequence (--influence-sequences, --no-influence).\n"
      "Examples:\n"
      "  seqdl motifs extract --model m.seqdl --sequences pos.fa -o filters.meme\n"
      "  seqdl motifs extract --model m.seqdl --sequences pos.fa --both-strands --summary filters.tsv -o filters.meme\n"
      "  seqdl motifs compare filters.meme --db JASPAR2020.meme -o matches.tsv");
  return {app, [opt, no_influence] {
            opt->influence = !*no_influence;
            motif::ExtractSummary s = torch_commands().extract(*opt);
            log::info("{} filters of width {} ({}) over {} sequences ({} bp): {} motifs written to {} in {:.1f} s",
                      s.filters, s.width, s.first_layer, with_commas(s.sequences), with_commas(s.bases),
                      s.written.size(), opt->output, s.seconds);
            if (!s.too_few.empty()) {
              log::info("not written, fewer than {} sites: {}", opt->min_sites, motif::filter_list(s.too_few));
            }
            if (!s.without_sites.empty()) {
              log::info("not written, no site (never active on these sequences): {}",
                        motif::filter_list(s.without_sites));
            }
            if (opt->influence) {
              log::info("influence: mean change of the {} when a filter's output is zeroed, over {} sequences",
                        opt->influence_scale == motif::InfluenceScale::logit ? "logits" : "probabilities", with_commas(s.influence_sequences));
            }
            if (s.written.empty()) log::warn("no filter has {} sites: {} holds no motif", opt->min_sites, opt->output);
          }};
}

Subcommand add_compare(CLI::App* parent, const GlobalOptions& global) {
  auto opt = std::make_shared<motif::CompareOptions>();
  motif::CompareSettings& settings = opt->settings;
  CLI::App* app = parent->add_subcommand("compare", "Compare motifs with a motif database (Tomtom's method)");
  app->add_option("queries", opt->queries, "Query motifs (MEME, JASPAR or TRANSFAC; e.g. a model's filters)")->required();
  app->add_option("--db", opt->database, "Motif database (MEME, JASPAR or TRANSFAC)")->required();
  app->add_option("-o,--output", opt->output, "Output TSV ('-' for stdout)")->required();
  app->add_option("--motif", opt->query_ids, "Only these query motifs (id or name; repeat)")->allow_extra_args(false);
  app->add_option("--top", opt->top, "Matches reported per query")->check(integer_at_least(1))->capture_default_str();
  app->add_option("--max-evalue", opt->max_evalue, "Report only matches with an E-value up to this")
      ->check(number_in(1e-300, 1e300));
  add_choice(app, "--method", settings.method, motif::kCompareMethodChoices,
             "tomtom (sum of column similarities; p-value from the database's columns, exact by dynamic "
             "programming, corrected for the offsets tried) or mean-shuffle (mean column similarity against "
             "column-shuffled database motifs)");
  add_choice(app, "--similarity", settings.similarity, motif::kColumnSimilarityChoices,
             "Column similarity: pearson (correlation of the two columns), euclidean (1 - distance / sqrt 2) or "
             "sandelin (2 - squared distance, Sandelin-Wasserman)");
  app->add_option("--min-overlap", settings.min_overlap,
                  "Fewest aligned columns (or the shorter motif's width, if smaller)")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_option("--bins", settings.bins,
                  "tomtom: levels of one column's similarity in the null's grid (at most 10,000)")
      ->check(integer_at_least(1))->capture_default_str()->group("Advanced");
  app->add_option("--shuffles", settings.shuffles, "mean-shuffle: column-shuffled copies of each database motif")
      ->check(integer_at_least(1))->capture_default_str()->group("Advanced");
  app->footer(
      "Each query is aligned to each database motif at every offset and on both strands; the output has the best\n"
      "matches first: query_id query_name target_id target_name orientation offset overlap similarity (mean column\n"
      "similarity) score (their sum) p_value e_value q_value query_consensus target_consensus.\n"
      "tomtom (Gupta et al. 2007): an alignment's p-value is that of its summed similarity when each query column\n"
      "meets a random column of the database (both strands); a pair's p-value is its best alignment's, corrected for\n"
      "the n alignments tried, 1 - (1 - p)^n. mean-shuffle: p = (1 + null scores >= observed) / (1 + null size) over\n"
      "column-shuffled database motifs (--seed). E = p x database size; q: Benjamini-Hochberg over the database.\n"
      "Examples:\n"
      "  seqdl motifs compare filters.meme --db JASPAR2020.meme -o matches.tsv\n"
      "  seqdl motifs compare query.jaspar --db HOCOMOCO_v12.meme --top 10 --max-evalue 0.5 -o -");
  return {app, [opt, &global] {
            opt->settings.seed = global.seed;
            motif::CompareSummary s = motif::run_compare(*opt);
            bool tomtom = opt->settings.method == motif::CompareMethod::tomtom;
            log::info("compared {} query motifs with {} database motifs (null of {} {}): {} rows in {}", s.queries,
                      s.database, with_commas(s.null_size), tomtom ? "database columns" : "shuffled motifs", s.rows,
                      opt->output);
          }};
}

Subcommand add_scan(CLI::App* parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<motif::ScanOptions>();
  auto forward_only = std::make_shared<bool>(false);
  CLI::App* app = parent->add_subcommand("scan", "Scan sequences or a genome for motif matches (FIMO-like)");
  app->add_option("motifs", opt->motifs, "Motifs (MEME, JASPAR or TRANSFAC)")->required();
  app->add_option("input", opt->source.input,
                  "Sequences: FASTA/FASTQ (or - for stdin), indexed FASTA with --regions, SAM/BAM/CRAM, or a table");
  app->add_option("--genome", opt->genome,
                  "Scan a whole indexed FASTA chunk by chunk (every contig, or --regions), instead of INPUT");
  app->add_option("-o,--output", opt->output, "Output: .bed for BED, else TSV ('-' for stdout)")->required();
  add_choice(app, "--format", opt->format, motif::kScanFormatChoices,
             "tsv or bed (default: from the output's extension)");
  app->add_flag("--per-sequence-max", opt->per_sequence_max,
                "One row per sequence and motif with the best window (columns id, score, p_value, ...)");
  app->add_option("--motif", opt->motif_ids, "Only these motifs (id or name; repeat)")->allow_extra_args(false);
  app->add_option("--max-pvalue", opt->max_pvalue, "Report windows with a p-value below this")
      ->check(number_in(1e-300, 1))->capture_default_str();
  app->add_option("--pseudocount", opt->pseudocount,
                  "Added to the motif's counts (probability x sites, 20 sites if unknown) times the background, "
                  "as FIMO's --motif-pseudo")
      ->check(number_in(0, 1e6))->capture_default_str();
  app->add_option("--background", opt->background,
                  "uniform, motif (the motif file's background line), input (base composition of the scanned "
                  "sequences, both strands), or a file of 'A 0.3 C 0.2 G 0.2 T 0.3'")
      ->capture_default_str();
  app->add_flag("--forward-only", *forward_only, "Scan the given strand only (default: both)");
  app->add_option("--chunk-size", opt->chunk_size, "Genome bases read at a time")
      ->check(integer_at_least(1))->capture_default_str()->group("Advanced");
  add_source_options(app, opt->source);
  app->footer(
      "Scores are log2 odds against the background (bits); p-values are exact, from the distribution of the\n"
      "score scaled to integers (1/1000 bit, coarser for very wide motifs). Windows with N or other IUPAC codes\n"
      "are not scored. TSV: motif_id motif_name sequence start end strand score p_value matched_sequence (1-based);\n"
      "BED: chrom start end motif_id score strand (0-based). --per-sequence-max: id score p_value motif_id\n"
      "motif_name start end strand matched_sequence; a sequence without any window to score gets the motif's\n"
      "lowest score and p-value 1.\n"
      "Examples:\n"
      "  seqdl motifs scan motif.meme seqs.fa --per-sequence-max -o scan.tsv\n"
      "  seqdl motifs scan motif.meme --genome g.fa -o hits.bed\n"
      "  seqdl motifs scan JASPAR2020.meme --motif CTCF --genome g.fa --regions peaks.bed --max-pvalue 1e-5 -o -");
  return {app, [opt, forward_only] {
            opt->both_strands = !*forward_only;
            opt->threads = resolved_threads();
            motif::ScanSummary s = motif::run_scan(*opt);
            log::info("scanned {} sequences ({} bp) with {} motifs in {:.1f} s ({:.1f} Mbp/s): {} rows",
                      with_commas(s.sequences), with_commas(s.bases), s.motifs, s.seconds,
                      s.seconds > 0 ? static_cast<double>(s.bases) / s.seconds / 1e6 : 0.0, with_commas(s.hits));
            if (s.unscored > 0) {
              log::warn("{} sequence-motif pairs had no window to score (shorter than the motif, or N only)",
                        with_commas(s.unscored));
            }
          }};
}

}  // namespace

Command add_motifs(CLI::App& parent, const GlobalOptions& global) {
  CLI::App* app = parent.add_subcommand("motifs", "Motifs: extract a model's filters, compare with a database, scan "
                                                  "sequences or genomes, discover motifs from attributions");
  app->require_subcommand(1);
  std::vector<Subcommand> subcommands = {
      add_extract(app, global),
      add_compare(app, global),
      add_scan(app, global),
      [&] { Command c = add_motifs_discover(*app, global); return Subcommand{c.app, c.run}; }(),
  };
  app->footer(
      "Examples:\n"
      "  seqdl motifs extract --model m.seqdl --sequences pos.fa -o filters.meme\n"
      "  seqdl motifs compare filters.meme --db JASPAR2020.meme -o matches.tsv\n"
      "  seqdl motifs scan motif.meme seqs.fa --per-sequence-max -o scan.tsv\n"
      "  seqdl motifs discover --onehot x.npy --attributions hyp.npy --db JASPAR2024.meme -o modisco/\n"
      "Run 'seqdl motifs <subcommand> --help' for its options.");
  return {app, [subcommands] {
            for (const auto& [sub, run] : subcommands) {
              if (sub->parsed()) run();
            }
          }};
}

}  // namespace seqdl::cli
