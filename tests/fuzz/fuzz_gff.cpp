// GFF3/GTF (io/gff) and the gene models built from them (data/gene_annotation). Selector bit 0: the file is named
// .gtf (the format guess for files without attributes); bit 1: force the format; bit 2: --canonical.
#include <cstdint>

#include "data/gene_annotation.hpp"
#include "fuzz_input.hpp"
#include "io/gff.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  std::string path = seqdl::fuzz::write_input(mode & 1 ? "genes.gtf" : "genes.gff3", data, size);
  std::optional<seqdl::io::GffFormat> format;
  if (mode & 2) format = mode & 1 ? seqdl::io::GffFormat::gtf : seqdl::io::GffFormat::gff3;
  try {
    seqdl::io::GffReader reader(path, format);
    seqdl::io::GffRecord record;
    while (reader.next(record)) {
      if (record.start < 0 || record.start > record.end) __builtin_trap();
      (void)record.values("Parent");
    }
  } catch (const seqdl::Error&) {
  }
  try {
    seqdl::data::AnnotationOptions options;
    options.path = path;
    options.format = format;
    options.canonical = mode & 4;
    seqdl::data::GeneModels models = seqdl::data::read_gene_models(options);
    for (const auto& t : models.transcripts) {
      for (size_t i = 1; i < t.exons.size(); ++i) {
        if (t.exons[i].start < t.exons[i - 1].end) __builtin_trap();  // overlapping exons are excluded
      }
    }
  } catch (const seqdl::Error&) {
  }
  return 0;
}
