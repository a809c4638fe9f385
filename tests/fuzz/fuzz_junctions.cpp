// Splice-junction evidence (data/junctions): BED or GFF3/GTF intron features (selector bit 0: named .gff3, bit 1:
// named .txt so that the content decides), merged onto a small set of annotated introns.
#include <cstdint>
#include <string>

#include "data/junctions.hpp"
#include "fuzz_input.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  const char* name = mode & 2 ? "junctions.txt" : (mode & 1 ? "junctions.gff3" : "junctions.bed");
  std::string path = seqdl::fuzz::write_input(name, data, size);
  try {
    seqdl::data::JunctionOptions options;
    options.path = path;
    options.min_count = mode & 4 ? 0 : 2;
    seqdl::data::JunctionEvidence evidence = seqdl::data::read_junctions(options);
    std::vector<seqdl::data::Intron> introns;
    seqdl::data::add_junctions(introns, evidence);
  } catch (const seqdl::Error&) {
  }
  return 0;
}
