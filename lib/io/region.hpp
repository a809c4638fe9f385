// Genomic intervals. Internally every interval is 0-based half-open (as in BED); region strings typed by
// users are samtools-style, 1-based inclusive: "chr1", "chr1:1000-2000", "chr1:1,000-2,000",
// "chr1:1000" (from 1000 to the end), "{HLA-A*01:01}:1-100" (braces quote names that contain ':').
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace seqdl::io {

struct Region {
  std::string chrom;
  int64_t start = 0;   // 0-based, inclusive
  int64_t end = -1;    // 0-based, exclusive; -1 = to the end of the contig (resolved against an index)
  std::string name;    // e.g. a BED name; empty if none

  int64_t length() const { return end - start; }
  bool open_ended() const { return end < 0; }
  std::string to_string() const;  // "chr1:1001-2000" (1-based inclusive, as users type it)
  bool operator==(const Region&) const = default;
};

// Parses a region string. `is_contig`, if given, says whether a whole string names a contig, so that
// names containing ':' work without braces. Throws FormatError naming `what` (e.g. "--regions") for an empty
// string, unbalanced braces, a missing contig name, a start below 1 or an end before the start. The contig is
// not checked against any genome (IndexedFasta::resolve does that). Pure: safe from any thread.
Region parse_region(std::string_view text, std::string_view what,
                    const std::function<bool(const std::string&)>& is_contig = {});

}  // namespace seqdl::io
