// Region strings (io/region): parsed alone and with a contig lookup (names holding ':'), then printed and parsed
// again, which must give the same region.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/region.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto is_contig = [](const std::string& name) { return name == "HLA-A*01:01" || name == "chr1"; };
  for (int with_lookup = 0; with_lookup < 2; ++with_lookup) {
    seqdl::io::Region region;
    try {
      region = with_lookup ? seqdl::io::parse_region(text, "fuzz", is_contig) : seqdl::io::parse_region(text, "fuzz");
    } catch (const seqdl::Error&) {
      continue;
    }
    if (region.start < 0 || (!region.open_ended() && region.end < region.start)) __builtin_trap();
    if (region.open_ended()) continue;  // "chr1:1000" prints as a closed range only once resolved
    // Only names a FASTA header can hold (printable, no spaces) are expected to come back unchanged: to_string
    // neither quotes nor escapes, and the parser trims spaces.
    auto printable = [](unsigned char c) { return c > ' ' && c < 127; };
    if (!std::all_of(region.chrom.begin(), region.chrom.end(), printable)) continue;
    std::string printed = region.to_string();
    seqdl::io::Region again;
    try {
      again = seqdl::io::parse_region(printed, "fuzz", is_contig);
    } catch (const seqdl::Error&) {
      continue;  // names that need braces may not come back (to_string does not quote)
    }
    if (again.chrom != region.chrom || again.start != region.start || again.end != region.end) __builtin_trap();
  }
  return 0;
}
