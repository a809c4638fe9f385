// bigWig input (io/coverage_bigwig: libBigWig, not fuzzed upstream, opens the file; seqdl reads the data blocks,
// io/coverage_bigwig_blocks): the header's contigs, then every interval counted into coverage against a small genome
// (selector bit 0: the file's own contigs instead). A damaged file must end in a seqdl::Error, never in a crash.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "io/coverage_source.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  std::string path = seqdl::fuzz::write_input("track.bw", data, size);
  seqdl::io::CoverageOptions options;
  options.inputs = {path};
  options.format = seqdl::io::CoverageFormat::bigwig;
  options.strands = seqdl::io::StrandMode::combined;
  options.buffer_points = 64;
  std::vector<seqdl::io::Contig> contigs = {{"chr1", 1000}, {"chr2", 300}};
  try {
    std::vector<seqdl::io::Contig> own = seqdl::io::source_contigs(options);
    for (const auto& c : own) {
      if (c.length < 0) __builtin_trap();
    }
    if (mode & 1) contigs = own;
  } catch (const seqdl::Error&) {
    return 0;
  }
  try {
    seqdl::io::CoverageSummary summary;
    seqdl::io::CoverageStore store = seqdl::io::count_coverage(options, contigs, summary);
    (void)store;
  } catch (const seqdl::Error&) {
  }
  return 0;
}
