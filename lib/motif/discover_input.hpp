// The inputs of `seqdl motifs discover`: one-hot sequences and hypothetical contributions (and optionally
// the actual contributions and each row's genome coordinates), as .npy arrays of the same shape
// [n, 4, length] (seqdl's layout, channels A C G T) or [n, length, 4] (TF-MoDISco-lite's), float32/float64
// (the one-hot may also be uint8 or bool). The arrays are memory-mapped and read row by row.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/npy_reader.hpp"

namespace seqdl::motif {

struct AttributionPaths {
  std::string onehot;         // required
  std::string attributions;   // hypothetical contributions, required
  std::string contributions;  // optional: actual contributions; default hypothetical x one-hot
  std::string coords;         // optional: BED (one line per row) or ids (one per line; "chr:start-end" ids map)
};

// Where a row lies in a genome (from --coords), or only its name.
struct RowCoordinate {
  std::string name;        // the row's id (BED name, or chrom:start-end)
  std::string chrom;       // empty: no genome coordinates
  int64_t start = 0;       // 0-based genome position of the row's first base
  char strand = '+';       // '-': the row is the reverse complement of [start, start + length)
};

// One row, channel-major [4 * length]: the one-hot, the hypothetical and the actual contributions.
struct RowData {
  std::vector<float> onehot, hypothetical, contribution;
};

class AttributionSet {
 public:
  // Opens and checks the shapes (UsageError naming both files when they differ; FormatError for a
  // shape that is not [n, 4, L] or [n, L, 4]); the coordinates file must have one line per row.
  explicit AttributionSet(const AttributionPaths& paths);

  int64_t rows() const { return rows_; }
  int64_t length() const { return length_; }
  bool channels_last() const { return channels_last_; }  // read as [n, L, 4]
  const std::vector<RowCoordinate>& coordinates() const { return coords_; }  // empty without --coords
  // The name of row r in outputs: its coordinate name, else its 0-based index.
  std::string row_name(int64_t r) const;

  // Reads row r (thread-safe). InputError naming the file, the row and the position for a NaN or infinite
  // value, or a one-hot value outside [0, 1].
  void read_row(int64_t r, RowData& out) const;

 private:
  void read_array(const io::NpyArray& a, int64_t r, std::vector<float>& out, std::vector<float>& scratch) const;

  std::unique_ptr<io::NpyArray> onehot_, hypothetical_, contribution_;
  int64_t rows_ = 0, length_ = 0;
  bool channels_last_ = false;
  std::vector<RowCoordinate> coords_;
};

// The base at each position of a channel-major one-hot row: 0..3 for A C G T when exactly one channel is
// above 0.5, else 4 (N, padding, or a soft encoding).
void bases_of(const float* onehot, int64_t length, uint8_t* out);

// Reads a coordinates file: BED lines (chrom, start, end[, name, score, strand]) or one id per line, where
// an id "chrom:start-end" (1-based inclusive, as seqdl writes region ids) gives coordinates. FormatError
// naming the file and line for a malformed BED line.
std::vector<RowCoordinate> read_row_coordinates(const std::string& path);

}  // namespace seqdl::motif
