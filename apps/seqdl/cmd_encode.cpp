// seqdl encode: sequences (FASTA/FASTQ, genome regions, BAM/CRAM reads, tables) -> one-hot .npy.

#include "commands.hpp"
#include "data/encode_npy.hpp"
#include "options.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_encode(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto opt = std::make_shared<data::EncodeOptions>();
  auto pad = std::make_shared<std::string>("N");
  CLI::App* app = parent.add_subcommand("encode", "One-hot encode sequences into a NumPy .npy array [n, 4, length]");
  app->add_option("input", opt->source.input, "FASTA/FASTQ (or - for stdin), indexed FASTA with --regions, "
                                              "SAM/BAM/CRAM, or a TSV/CSV table")->required();
  app->add_option("-o,--output", opt->output, "Output .npy file")->required();
  app->add_option("--ids", opt->ids_output, "Ids file, one per line (default: OUTPUT with .npy -> .ids.txt)");
  add_source_options(app, opt->source);
  app->add_option("--length", opt->length, "Centre-crop or pad every sequence to this length; genome regions are "
                                           "resized around their centre (summit) instead")->check(integer_at_least(1));
  app->add_option("--pad-base", *pad, "Base used to pad short sequences")->capture_default_str();
  add_choice(app, "--unknown", opt->unknown, encode::kUnknownChoices,
             "What N and other IUPAC codes become: zero, uniform (0.25 each) or iupac (fractions of the bases they "
             "stand for)");
  add_choice(app, "--dtype", opt->dtype, io::kNpyTypeChoices, "float32, or uint8 for 0/1 bytes");
  app->add_flag("--reverse-complement", opt->reverse_complement, "Encode the reverse complement of every sequence");
  app->footer(
      "Channels are A, C, G, T; lowercase (soft-masked) bases count as uppercase.\n"
      "Examples:\n"
      "  seqdl encode genome.fa --regions peaks.bed --length 1000 -o x.npy\n"
      "  seqdl encode reads.fa --length 1000 --dtype uint8 -o x.npy\n"
      "  seqdl encode reads.bam --region chr1:1-5000 --length 150 -o x.npy");
  return {app, [opt, pad] {
            if (pad->size() != 1) throw UsageError("--pad-base: expected one base, found '{}'", *pad);
            opt->pad = (*pad)[0];
            data::EncodeSummary s = data::encode_to_npy(*opt);
            log::info("encoded {} sequences of {} bp into {} (ids in {})", with_commas(s.sequences), s.length,
                      opt->output, s.ids_output);
            if (s.cropped + s.padded > 0) {
              log::info("{} sequences were cropped and {} padded to {} bp", with_commas(s.cropped),
                        with_commas(s.padded), s.length);
            }
            if (s.off_contig > 0) {
              log::warn("{} windows ran past a contig end and were padded with N", with_commas(s.off_contig));
            }
          }};
}

}  // namespace seqdl::cli
