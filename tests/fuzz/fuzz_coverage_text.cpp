// The text coverage formats (io/coverage_text via count_coverage): BED reads, BEDPE / 3-column fragments, 10x
// fragments, bedGraph, and chrom.sizes. The selector picks the format (bits 0-1), the strands (bit 2), a Tn5 shift
// (bit 3), and a region restriction (bit 4); the genome is two small contigs.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "io/coverage_source.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using seqdl::io::CoverageFormat;
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  static const CoverageFormat formats[] = {CoverageFormat::bed, CoverageFormat::bedpe, CoverageFormat::fragments,
                                           CoverageFormat::bedgraph};
  static const char* names[] = {"reads.bed", "pairs.bedpe", "fragments.tsv", "track.bedGraph"};
  std::string path = seqdl::fuzz::write_input(names[mode & 3], data, size);
  seqdl::io::CoverageOptions options;
  options.inputs = {path};
  options.format = formats[mode & 3];
  options.strands = mode & 4 ? seqdl::io::StrandMode::combined : seqdl::io::StrandMode::both;
  if (mode & 8) options.shift = {4, -5};
  if (mode & 16) options.regions = {seqdl::io::Region{"chr1", 10, 200, ""}};
  options.buffer_points = 64;  // flush often: the buffer's merging is under test too
  std::vector<seqdl::io::Contig> contigs = {{"chr1", 1000}, {"chr2", 300}};
  try {
    seqdl::io::CoverageSummary summary;
    seqdl::io::CoverageStore store = seqdl::io::count_coverage(options, contigs, summary);
    (void)store;
  } catch (const seqdl::Error&) {
  }
  try {
    auto sizes = seqdl::io::read_chrom_sizes(path);
    for (const auto& c : sizes) {
      if (c.length <= 0) __builtin_trap();
    }
  } catch (const seqdl::Error&) {
  }
  return 0;
}
