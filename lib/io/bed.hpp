// BED (BED3 to BED12 and any extra columns) and ENCODE narrowPeak, streamed. Coordinates are 0-based
// half-open. `track`, `browser` and '#' lines are skipped. narrowPeak's summit (column 10, an offset
// from the start; -1 if not called) is read when the file is narrowPeak.
//
// Threads: a reader is used by one thread at a time; distinct readers are independent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/line_reader.hpp"
#include "io/region.hpp"

namespace seqdl::io {

struct BedRecord {
  Region region;                   // chrom, start, end, name (column 4 if present)
  std::optional<double> score;     // column 5 if present and numeric
  char strand = '.';               // column 6 if present: '+', '-' or '.'
  std::vector<std::string> extra;  // every column after the third, as text (labels live here)
  std::optional<int64_t> summit;   // narrowPeak: absolute 0-based summit position
  uint64_t line = 0;               // line number in the file, for messages

  // The centre used for a window: the summit if known, else the interval's midpoint.
  int64_t centre() const { return summit ? *summit : region.start + (region.end - region.start) / 2; }
};

class BedReader {
 public:
  // narrow_peak: read column 10 as the summit. By default, decided from the file name (.narrowPeak[.gz]).
  // InputError when the file cannot be opened.
  explicit BedReader(std::string path, std::optional<bool> narrow_peak = std::nullopt);

  // Fills `record` (every field overwritten) with the next interval, false at the end. FormatError naming
  // file and line for fewer than 3 columns, a non-integer start or end, a negative start, start > end, an
  // empty contig name, or (narrowPeak) a missing or out-of-peak summit. Contigs are not checked here.
  bool next(BedRecord& record);
  const std::string& path() const { return lines_.path(); }
  bool narrow_peak() const { return narrow_peak_; }

 private:
  LineReader lines_;
  bool narrow_peak_;
};

// Reads a whole BED file (same errors as BedReader).
std::vector<BedRecord> read_bed(const std::string& path, std::optional<bool> narrow_peak = std::nullopt);

}  // namespace seqdl::io
