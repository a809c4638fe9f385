#include "splice_options.hpp"

#include "commands.hpp"
#include "options.hpp"

namespace seqdl::cli {

CLI::Option* add_splice_options(CLI::App* app, data::SpliceOptions& o, const std::string& annotation_help,
                                const std::string& group) {
  CLI::Option* annotation = app->add_option("-a,--annotation", o.annotation, annotation_help)->group(group);
  app->add_flag("--canonical", o.canonical, "Annotation: one transcript per gene, the longest (largest total exon "
                                            "length; a tie goes to the smallest id)")
      ->needs(annotation)->group(group);
  app->add_option("--types", o.types, "Annotation: keep transcripts of these feature types only (e.g. mRNA)")
      ->needs(annotation)->group(group);
  app->add_option("--junctions", o.junctions, "Annotation: RNA-seq junction evidence (BED of introns with read counts, "
                                              "or GFF3 intron features scored by reads) adding expressed sites")
      ->needs(annotation)->group(group);
  app->add_option("--min-count", o.min_count, "Junction evidence: the fewest reads an intron needs")
      ->check(number_in(0, 1e300))->capture_default_str()->needs(annotation)->group(group);
  app->add_option("--junction-source", o.junction_source, "GFF junctions: only features with this source (column 2)")
      ->needs(annotation)->group(group);
  add_choice(app, "--annotation-format", o.format, io::kGffFormatChoices,
             "Read the annotation as gff3 or gtf (default: told by its content)")->needs(annotation)->group(group);
  return annotation;
}

}  // namespace seqdl::cli
