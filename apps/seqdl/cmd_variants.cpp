// seqdl variants: REF/ALT effect scores of a VCF's alleles (TSV, or the VCF with INFO fields added).

#include "commands.hpp"
#include "options.hpp"
#include "splice_options.hpp"
#include "torch_jobs.hpp"
#include "util/log.hpp"
#include "util/text.hpp"
#include "variants/variants.hpp"

namespace seqdl::cli {

Command add_variants(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<variants::VariantsOptions>();
  CLI::App* app = parent.add_subcommand("variants", "Score the effect of VCF variants on a model's outputs (REF vs ALT)");
  add_model_options(app, opt->model, opt->overrides);

  app->add_option("--genome", opt->genome, "Indexed FASTA that the VCF's positions refer to")->required()->group("Input");
  app->add_option("--vcf", opt->vcf, "Variants: VCF or BCF, plain or bgzip (- for stdin with TSV output); "
                                     "multi-allelic records are scored one ALT at a time")
      ->required()->group("Input");
  app->add_option("--regions,--region", opt->regions, "Only records whose POS lies in these: BED/narrowPeak files or "
                                                     "region strings (chr1:1,000-2,000; 1-based inclusive); repeat")
      ->group("Input");
  app->add_option("--shard", opt->shard, "K/N: only records in the K-th of N equal parts of the genome (its contigs "
                                         "end to end, in the FASTA index's order): scatter one VCF over N jobs")
      ->group("Input");
  add_choice(app, "--ref-mismatch", opt->ref_mismatch, variants::kRefMismatchChoices,
             "An allele whose REF differs from the genome: skip it with a warning, stop with an error, or score it "
             "on the genome's bases (warned)")->group("Input");

  add_choice(app, "--rc", opt->strands, infer::kStrandChoices,
             "Combine with the reverse-complement strand: none, mean or max (of the probabilities, or of the logits "
             "with --logits)")->group("Scoring");
  app->add_option("--distance", opt->distance, "Per-position models: bases either side of the variant in which the "
                                               "largest gain and loss are sought (SpliceAI's delta scores)")
      ->check(integer_at_least(0))->capture_default_str()->group("Scoring");
  app->add_option("--batch", opt->batch, "Windows per model call")
      ->check(integer_at_least(1))->capture_default_str()->group("Scoring");
  app->add_flag("--whole-windows", opt->whole_windows, "Run SNVs' ALT windows whole too, instead of recomputing only "
                                                       "what the substitution reaches (for checking; slower)")
      ->group("Scoring");

  // Splice models on the strand of each gene (variants/splice_variants.hpp).
  CLI::Option* annotation = add_splice_options(
      app, opt->splice, "Gene annotation (GFF3/GTF): score a splice model's acceptor and donor deltas on the strand "
                        "of each gene an allele lies in, as SpliceAI (INFO PREFIX + SPLICE); alleles in no gene are "
                        "not scored");
  app->add_flag("--mask", opt->mask, "Annotation: Pangolin's masking, only losses of annotated sites and gains of "
                                     "unannotated ones count")->needs(annotation)->group("Splice sites");

  app->add_option("-o,--output", opt->output, "Output: .tsv (one row per allele), .vcf, or .vcf.gz (bgzip + tabix "
                                              "index); - for stdout")
      ->required()->group("Output");
  add_choice(app, "--format", opt->format, variants::kEffectFormatChoices,
             "tsv or vcf; default from the output's name (.vcf, .vcf.gz: vcf)")->group("Output");
  app->add_option("--task", opt->tasks, "Outputs to score, by name or index (repeat; default all)")->group("Output");
  app->add_flag("--logits", opt->logits, "Score raw model outputs instead of probabilities (no log2 ratio then)")
      ->group("Output");
  app->add_option("--info-prefix", opt->info_prefix, "VCF output: prefix of the INFO fields (PREFIX<task>_<score>)")
      ->capture_default_str()->group("Output");
  app->footer(
      "Windows: the model's input length, with the variant's first base at index length/2 in both windows. REF is\n"
      "the genome; ALT keeps the same left flank, then the ALT allele, then the genome after the REF allele, cut\n"
      "to the window length (deletions extend and insertions trim the far end). Off a contig end: N (counted).\n"
      "Scores per task: ref, alt, diff (alt - ref) and log2 ((alt + 1e-6) / (ref + 1e-6)); for per-position\n"
      "models gain, gain_pos, loss, loss_pos within --distance of POS, positions compared on the genome.\n"
      "SNVs: ALT recomputes only what the substitution reaches, from the REF activations of its window (whole\n"
      "windows for indels, and for models that do not allow it: the log says why). Equal to whole windows to\n"
      "float rounding (1e-5 relative).\n"
      "Memory: the VCF/BCF is streamed; a run holds the model and one batch (SNVs within a 96 MiB budget of\n"
      "activations, --batch windows for indels), whatever the VCF's size. Basset, 600 bp, 2 threads: under\n"
      "750 MiB peak RSS for SNVs; about 1 GiB with many indels at --batch 256 (lower --batch for less).\n"
      "--shard K/N: the K-th of N equal parts of the genome (contigs end to end, FASTA index order).\n"
      "\n"
      "Examples:\n"
      "  seqdl variants --model m.seqdl --genome g.fa --vcf calls.vcf.gz -o effects.vcf.gz\n"
      "  seqdl variants --model m.seqdl --genome g.fa --vcf calls.vcf.gz --rc mean -o effects.tsv\n"
      "  seqdl variants --model m.seqdl --genome g.fa --vcf calls.bcf --shard 3/8 -o part3.vcf.gz\n"
      "  seqdl variants --model splice.seqdl --genome g.fa --vcf calls.vcf --distance 50 --task acceptor -o -\n"
      "  seqdl variants --model splice.seqdl --genome g.fa --annotation genes.gff3 --mask --vcf calls.vcf.gz \\\n"
      "      -o scored.vcf.gz   (INFO SEQDL_SPLICE=ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL)");
  return {app, [opt] {
            variants::VariantsSummary s = torch_commands().variants(*opt);
            std::string files = join(s.outputs, ", ");
            double per_s = static_cast<double>(s.scored) / std::max(s.seconds, 1e-9);
            log::info("scored {} of {} alleles ({} records) in {:.2f} s ({}/s, {}/hour); wrote {}", with_commas(s.scored),
                      with_commas(s.alleles), with_commas(s.records), s.seconds, si_number(per_s),
                      si_number(per_s * 3600), files);
            if (!s.selection.empty()) {
              log::info("{} alleles outside {} left out", with_commas(s.outside), s.selection);
            }
            if (s.skipped_total() > 0) log::info("skipped {}: {}", with_commas(s.skipped_total()), s.skipped_text());
            if (s.padded > 0) log::info("{} scored alleles had windows running off a contig end (padded with N)", with_commas(s.padded));
            if (s.ref_mismatch_scored > 0) {
              log::info("{} alleles were scored although their REF differs from the genome (--ref-mismatch score)",
                        with_commas(s.ref_mismatch_scored));
            }
            if (!s.index_problem.empty()) log::warn("{}", s.index_problem);
            log::debug("engine: {}; {} model windows", s.engine, with_commas(s.windows));
          }};
}

}  // namespace seqdl::cli
