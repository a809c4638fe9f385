// seqdl motifs discover: TF-MoDISco-style motif discovery from attributions (options -> motif::DiscoverOptions ->
// motif::run_discover).

#include <memory>

#include "commands.hpp"
#include "motif/discover.hpp"
#include "motif/discover_output.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_motifs_discover(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<motif::DiscoverOptions>();
  auto no_report = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand("discover", "Discover motifs from attributions (TF-MoDISco-style seqlets, "
                                                    "clustering and contribution-weight matrices)");
  app->add_option("--onehot", opt->inputs.onehot, "One-hot sequences, .npy [n, 4, length] (or [n, length, 4])")->required();
  app->add_option("--attributions", opt->inputs.attributions,
                  "Hypothetical contributions of the same shape (.npy; e.g. seqdl saliency --hypothetical)")
      ->required();
  app->add_option("--contributions", opt->inputs.contributions,
                  "Actual contributions of the same shape (default: hypothetical x one-hot)");
  app->add_option("--coords", opt->inputs.coords,
                  "One line per row giving its genome position: BED (chrom start end [name score strand]) or ids "
                  "(chrom:start-end ids map; e.g. seqdl saliency's .ids.txt)");
  app->add_option("-o,--output", opt->output,
                  "Output directory: patterns.meme, cwm.meme, hypothetical_cwm.meme, patterns.tsv, seqlets.tsv, "
                  "matches.tsv (with --db), sites.bed (with --coords), report.html")
      ->required();
  app->add_option("--db", opt->database, "Motif database to match the patterns against (MEME, JASPAR or TRANSFAC)");
  app->add_option("--top-matches", opt->top_matches, "Database matches per pattern")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_option("--window-size", opt->seqlets.window, "Positions summed per seqlet window")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_option("--flank", opt->seqlets.flank, "Positions added to each side of a seqlet window")
      ->check(integer_at_least(0))->capture_default_str();
  app->add_option("--target-fdr", opt->seqlets.target_fdr, "Local false discovery rate of the seqlet threshold")
      ->check(number_in(1e-9, 0.999999))->capture_default_str();
  app->add_option("--min-passing-fraction", opt->seqlets.min_fraction,
                  "Fewest windows passing, as a fraction of all (the threshold is lowered to reach it)")
      ->check(number_in(0, 1))->capture_default_str();
  app->add_option("--max-passing-fraction", opt->seqlets.max_fraction,
                  "Most windows passing, as a fraction of all (the threshold is raised to keep to it)")
      ->check(number_in(0, 1))->capture_default_str();
  app->add_option("--min-seqlets", opt->min_seqlets, "A metacluster (positive or negative) with fewer seqlets is not "
                                                     "clustered")
      ->check(integer_at_least(2))->capture_default_str();
  app->add_option("--max-seqlets", opt->max_seqlets, "Seqlets clustered per metacluster: the strongest are kept")
      ->check(integer_at_least(2))->capture_default_str();
  app->add_option("--min-pattern-seqlets", opt->refine.min_seqlets, "Patterns with fewer seqlets are dropped")
      ->check(integer_at_least(2))->capture_default_str();
  app->add_option("--neighbors", opt->neighbors, "Nearest neighbours per seqlet in the similarity graph")
      ->check(integer_at_least(2))->capture_default_str();
  app->add_option("--perplexity", opt->perplexity, "Effective neighbours of the density-adapted affinities")
      ->check(number_in(1.0001, 1e6))->capture_default_str();
  app->add_option("--leiden-seeds", opt->refine.leiden_runs, "Leiden runs (seeds); the best modularity wins")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_option("--merge-similarity", opt->refine.merge_similarity,
                  "Patterns whose CWMs are at least this similar (continuous Jaccard) are merged")
      ->check(number_in(-1, 1))->capture_default_str();
  app->add_option("--assign-similarity", opt->refine.assign_similarity,
                  "A seqlet joins its most similar pattern if at least this similar")
      ->check(number_in(-1, 1))->capture_default_str();
  app->add_option("--trim-ic", opt->refine.pattern.trim_ic, "Pattern flanks with less information are trimmed (bits)")
      ->check(number_in(0, 2))->capture_default_str();
  app->add_option("--max-pattern-width", opt->refine.pattern.max_width, "Widest pattern kept after trimming")
      ->check(integer_at_least(1))->capture_default_str();
  app->add_flag("--no-report", *no_report, "Skip report.html");
  app->footer(
      "Seqlets are windows whose summed contribution lies beyond a Laplace null at --target-fdr; positive and\n"
      "negative seqlets are clustered apart (gapped k-mer neighbours, continuous Jaccard similarity, Leiden on\n"
      "density-adapted affinities), and each cluster becomes a pattern: its seqlets aligned and averaged into a\n"
      "contribution-weight matrix (CWM), trimmed, merged with near-duplicates and split when heterogeneous.\n"
      "The same --seed gives the same files for any --threads. See docs/motifs.md.\n"
      "Examples:\n"
      "  seqdl saliency --model m.seqdl --method deepshap --hypothetical hyp.npy --onehot x.npy \\\n"
      "      -o contrib.npy pos.fa\n"
      "  seqdl motifs discover --onehot x.npy --attributions hyp.npy --db JASPAR2024.meme -o modisco/");
  return {app, [opt, no_report, &global] {
            opt->report = !*no_report;
            opt->seed = global.seed;
            opt->threads = resolved_threads();
            motif::DiscoveryResult r = motif::run_discover(*opt);
            const motif::SeqletCall& c = r.call;
            log::info("{} rows of {} positions: {} windows, thresholds {}: {} seqlets ({} positive, {} negative)",
                      with_commas(static_cast<uint64_t>(r.rows)), r.length, with_commas(c.windows),
                      motif::thresholds_text(c), with_commas(r.seqlets.size()), with_commas(r.positive),
                      with_commas(r.negative));
            for (const std::string& note : r.notes) log::warn("{}", note);
            if (r.seqlets.empty()) log::warn("no seqlets: the attributions hold no window above the null; empty result");
            for (const motif::DiscoveredPattern& d : r.patterns) {
              std::string match;
              if (!d.matches.empty()) {
                const motif::Motif& t = r.database[d.matches[0].target];
                match = fmt::format(", best match {} (similarity {:.3f}, E = {:.3g})", t.label(),
                                    d.matches[0].alignment.similarity, d.matches[0].evalue);
              }
              log::info("{}: {} seqlets, width {}, {}{}", d.id, with_commas(d.pattern.members.size()), d.pattern.width,
                        motif::consensus(motif::pattern_motif(d.pattern, d.id, "")), match);
            }
            std::string stages;
            for (const motif::StageTime& s : r.stages) {
              stages += fmt::format(" {} {:.2f}s ({:.2f}s CPU)", s.stage, s.seconds, s.cpu_seconds);
            }
            log::info("{} patterns, {} of {} seqlets assigned, written to {}; time per stage:{}", r.patterns.size(),
                      with_commas(r.assigned()), with_commas(r.seqlets.size()), opt->output, stages);
          }};
}

}  // namespace seqdl::cli
