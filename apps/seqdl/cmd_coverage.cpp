// seqdl coverage: reads, fragments or tracks -> per-base counts per strand (bedGraph / bigWig), as profile
// training counts them; optionally the training windows with their counts.

#include "commands.hpp"
#include "data/coverage_job.hpp"
#include "options.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {
Command add_coverage(CLI::App& parent, const GlobalOptions& global) {
  auto job = std::make_shared<data::CoverageJob>();
  auto shift = std::make_shared<std::string>("0,0");
  auto keep_improper = std::make_shared<bool>(false);
  auto ignore_counts = std::make_shared<bool>(false);
  io::CoverageOptions& c = job->coverage;
  CLI::App* app = parent.add_subcommand(
      "coverage", "Per-base read 5'-end / Tn5 cut-site counts (or a track as given) per strand, as profile models "
                  "(BPNet, ChromBPNet) train on; written as bedGraph or bigWig");
  app->add_option("inputs", c.inputs, "SAM/BAM/CRAM, BED/tagAlign of reads, BEDPE or 10x fragments (several: counts "
                                      "added), or bedGraph/bigWig tracks (one combined, or two: plus minus)")
      ->required();
  app->add_option("-o,--output", job->output, "Tracks: X.bw/X.bedGraph becomes X.plus.bw and X.minus.bw, or X.bw "
                                              "with --strand combined ('-': bedGraph on stdout)");
  add_choice(app, "--coverage-format", c.format, io::kCoverageFormatChoices,
             "auto (from the name), bam, bed, bedpe, fragments, bedgraph, bigwig");
  add_choice(app, "--strand", c.strands, io::kStrandModeChoices, "both (plus and minus apart) or combined (their sum)");
  app->add_option("--shift", *shift, "Move each 5' end / cut site by PLUS,MINUS bases (ATAC Tn5: 4,-4 as ChromBPNet; "
                                     "ENCODE tagAlign: 4,-5)")->capture_default_str();
  app->add_option("-g,--genome", job->genome, "Genome FASTA: its contigs (and, with --peaks, its sequence)");
  app->add_option("--chrom-sizes", job->chrom_sizes, "Contig sizes (chrom.sizes or .fai) instead of --genome");
  app->add_option("--regions", job->region_specs, "Count only here: region strings or BED files (BAM/CRAM: index "
                                                  "queries, so the file needs its index)");
  app->add_option("--reference", c.reference, "CRAM reference FASTA");
  app->add_option("--min-mapq", c.filter.min_mapq, "Minimum mapping quality")
      ->check(integer_at_least(0))->capture_default_str();
  app->add_option("--require-flags", c.filter.require_flags, "SAM flags every counted read must have (default 0)")
      ->check(sam_flags());
  app->add_option("--exclude-flags", c.filter.exclude_flags, "SAM flags no counted read may have (default 0xF04: "
                                                             "unmapped, secondary, QC-fail, duplicate, supplementary)")
      ->check(sam_flags());
  app->add_flag("--keep-improper-pairs", *keep_improper, "Count paired reads that are not properly paired too");
  app->add_flag("--ignore-fragment-counts", *ignore_counts, "10x fragments: count each row once, not by column 5");
  app->add_option("--peaks", job->peaks, "Summits (narrowPeak column 10, or a summits BED): also make the windows "
                                         "training would see");
  app->add_option("--exclude", job->exclude, "Blacklist BED: windows touching it are skipped");
  app->add_option("--windows", job->windows_output, "Write the windows (peaks and one epoch of GC-matched "
                                                    "background) as BED with their output-span counts");
  app->add_option("--input-length", job->windows.input_length, "Model input length")->capture_default_str();
  app->add_option("--output-length", job->windows.output_length, "Profile (output) length")->capture_default_str();
  app->add_option("--jitter", job->windows.max_jitter, "Largest jitter shift: windows must fit with this margin")
      ->capture_default_str();
  app->add_option("--negative-ratio", job->background.ratio, "Background windows per peak window")
      ->check(number_in(0, 1000))->capture_default_str();
  app->add_option("--valid-chroms", job->windows.valid_chroms, "Validation chromosomes");
  app->add_option("--test-chroms", job->windows.test_chroms, "Test chromosomes");
  app->footer(
      "A forward read counts at its first aligned base, a reverse read at its last (alignment end - 1, clips\n"
      "excluded), as ENCODE's count tracks; fragments count their two ends. See docs/profile.md.\n"
      "Examples:\n"
      "  seqdl coverage rep1.bam -o rep1.bw                       # rep1.plus.bw, rep1.minus.bw\n"
      "  seqdl coverage atac.bam --shift 4,-4 --strand combined -o insertions.bw\n"
      "  seqdl coverage fragments.tsv.gz --shift 4,-4 --chrom-sizes g.fa.fai -o cuts.bedGraph\n"
      "  seqdl coverage reads.bam --regions chr1:1-1,000,000 --min-mapq 30 -o region.bedGraph\n"
      "  seqdl coverage atac.bam --shift 4,-4 --strand combined --genome g.fa --peaks summits.bed \\\n"
      "      --exclude blacklist.bed --valid-chroms chr8 --test-chroms chr9 --windows windows.bed");
  return {app, [job, shift, keep_improper, ignore_counts, &global] {
            io::CoverageOptions& o = job->coverage;
            o.shift = io::parse_shift(*shift, "--shift");
            o.proper_pairs_only = !*keep_improper;
            o.fragment_counts = !*ignore_counts;
            job->seed = global.seed;
            data::CoverageJobResult r = data::run_coverage_job(*job);
            log::info("{} records read, {} counted, {} filtered; {} runs in {} MiB", with_commas(r.summary.records),
                      with_commas(r.summary.counted), with_commas(r.summary.filtered), with_commas(r.runs),
                      fmt::format("{:.1f}", static_cast<double>(r.store_bytes) / (1 << 20)));
            for (size_t i = 0; i < r.files.size(); ++i) {
              log::info("wrote {} (total {})", r.files[i], exact_number(r.totals[i]));
            }
            if (r.peak_windows > 0) {
              log::info("{} peak and {} background windows", with_commas(r.peak_windows),
                        with_commas(r.background_windows));
            }
          }};
}

}  // namespace seqdl::cli
