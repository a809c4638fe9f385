// seqdl sites: gene annotation (GFF3/GTF) [+ genome, + RNA-seq junctions] -> splice sites or introns (BED).

#include <memory>

#include "commands.hpp"
#include "data/splice_output.hpp"
#include "options.hpp"

namespace seqdl::cli {

Command add_sites(CLI::App& parent, const GlobalOptions& /*global*/) {
  auto job = std::make_shared<data::SitesJob>();
  CLI::App* app = parent.add_subcommand("sites", "Splice sites (or introns) of a gene annotation, as BED: what "
                                                 "per-position splice models are trained on");
  data::SpliceOptions& o = job->splice;
  app->add_option("-a,--annotation", o.annotation, "Gene annotation: GFF3 or GTF (plain, gzip or bgzip)")->required();
  app->add_option("-g,--genome", o.genome, "Genome FASTA (indexed): checks contigs and reads intron motifs; "
                                           "required by --introns");
  app->add_option("-o,--output", job->output, "Output BED ('-': stdout)")->capture_default_str();
  app->add_flag("--introns", job->introns, "Write introns (with their motif and transcript count) instead of sites");
  app->add_flag("--canonical", o.canonical, "One transcript per gene: the longest (largest total exon length; "
                                            "a tie goes to the smallest id)");
  app->add_option("--types", o.types, "Keep transcripts of these feature types only (e.g. mRNA; default: every "
                                      "feature with exon children)");
  app->add_option("--chroms", job->chroms, "Only these contigs (default: all)");
  app->add_option("--junctions", o.junctions, "RNA-seq junction evidence: BED of introns (0-based half-open intron "
                                              "bases, read count in column 5, strand in column 6) or GFF3 "
                                              "intron features with the count as score (e.g. RNASeq_splice)");
  app->add_option("--min-count", o.min_count, "Junction evidence: the fewest reads an intron needs")
      ->check(number_in(0, 1e300))->capture_default_str();
  app->add_option("--junction-source", o.junction_source, "GFF junctions: only features with this source "
                                                          "(column 2), e.g. RNASeq_splice");
  add_choice(app, "--format", o.format, io::kGffFormatChoices, "Read the annotation as gff3 or gtf (default: told by "
                                                               "its content)");
  app->footer(
      "Sites follow SpliceAI's convention on the transcribed strand: a donor is the last base of an exon that an\n"
      "intron follows, an acceptor the first base of an exon that an intron precedes. Sites BED: chrom, 0-based\n"
      "position, position + 1, acceptor:T1,T2 / donor:T1,T2 (or donor:reads=N for junction evidence only), number of\n"
      "transcripts, strand. Introns BED: chrom, start, end (the intron's bases), transcripts, their number, strand,\n"
      "motif (GT-AG, GC-AG, AT-AC, other), number of transcripts [, junction reads]. A summary and every kind of\n"
      "annotation problem (counted; excluded transcripts named) go to stderr. See docs/splice.md.\n"
      "Examples:\n"
      "  seqdl sites --annotation genes.gff3 --genome g.fa -o sites.bed\n"
      "  seqdl sites --annotation genes.gtf.gz --genome g.fa --introns --canonical -o introns.bed\n"
      "  seqdl sites -a genes.gff3 -g g.fa --junctions genes.gff3 --junction-source RNASeq_splice --min-count 10 -o -");
  return {app, [job] {
            data::run_sites(*job);
          }};
}

}  // namespace seqdl::cli
