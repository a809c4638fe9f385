// Intervals of a genome named on the command line: BED/narrowPeak files and region strings, checked
// against the FASTA index and optionally resized to a fixed window around their centre (the narrowPeak
// summit when there is one), as models with a fixed input length need.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"

namespace seqdl::data {

struct GenomeInterval {
  io::Region region;        // what to fetch (0-based half-open); may extend past the contig when resized
  io::Region source;        // the interval as given (before resizing)
  std::string id;           // the BED name, else the original interval as "chr:start-end" (1-based)
  bool off_contig = false;  // part of the window lies outside the contig (fetched as N)
  char strand = '.';        // the BED strand ('+', '-' or '.')
};

// Each spec is a BED/narrowPeak file if such a file exists, else a region string. window = 0 keeps the
// intervals as given (which must then lie within their contigs). InputError naming the file and line (or the
// region string) for an unknown contig or an interval past a contig's end; what BedReader throws.
std::vector<GenomeInterval> read_regions(const io::IndexedFasta& genome, const std::vector<std::string>& specs,
                                         int64_t window);

// The same intervals one at a time, in the same order and with the same checks, holding one BED line at a time:
// 10 million intervals held at once take gigabytes. `genome` must outlive the reader.
class RegionReader {
 public:
  RegionReader(const io::IndexedFasta& genome, std::vector<std::string> specs, int64_t window);
  ~RegionReader();
  RegionReader(const RegionReader&) = delete;
  RegionReader& operator=(const RegionReader&) = delete;

  bool next(GenomeInterval& out);  // false after the last

 private:
  struct Bed;  // the open BED file (genome_regions.cpp)
  const io::IndexedFasta& genome_;
  std::vector<std::string> specs_;
  int64_t window_;
  size_t spec_ = 0;
  std::unique_ptr<Bed> bed_;
};

// A window of `window` bases centred on `centre`: [centre - window/2, centre - window/2 + window).
io::Region centred_window(const std::string& chrom, int64_t centre, int64_t window);

}  // namespace seqdl::data
