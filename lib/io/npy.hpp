// NumPy .npy output (format 1.0), little-endian float32 ('<f4') or uint8 ('|u1'), C order. The first
// dimension may be unknown while writing: the header reserves room and is rewritten on finish().
// The file is written atomically (util/atomic_file.hpp): it appears, complete, only when finish() succeeds.
// Threads: a writer is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/atomic_file.hpp"
#include "util/choices.hpp"

namespace seqdl::io {

enum class NpyType { float32, uint8 };
inline constexpr Choices<NpyType, 2> kNpyTypeChoices{{{"float32", NpyType::float32}, {"uint8", NpyType::uint8}}};

class NpyWriter {
 public:
  // row_shape: the shape of one row (the dimensions after the first); the row count is counted by
  // write_rows(). UsageError for "-" (the header is rewritten at the end, so stdout cannot work), and
  // AtomicFile's errors (InputError when the folder is missing or not writable).
  NpyWriter(std::string path, NpyType type, std::vector<int64_t> row_shape);

  // Appends whole rows: `count` rows of the row shape, as raw little-endian values read from `data` (not
  // kept). Write errors surface in finish().
  void write_rows(const void* data, int64_t count);
  // Finalises the header with the row count, then commits the file atomically. InputError on a write
  // error (disk full); the partial file is removed. Without finish(), nothing is left behind.
  void finish();

  int64_t rows() const { return rows_; }
  const std::string& path() const { return out_.target(); }

 private:
  std::string header(int64_t rows) const;

  // stdio's own buffer (st_blksize, 4 KB) is smaller than a row of 1 kb one-hot: every row became a write(2)
  // (40,000 of them for 40,000 sequences). Declared before out_ so that it outlives the stream.
  std::unique_ptr<char[]> buffer_;
  AtomicFile out_;
  NpyType type_;
  std::vector<int64_t> row_shape_;
  int64_t row_bytes_ = 0;
  int64_t rows_ = 0;
  size_t header_size_ = 0;
};

// The .npy header for a given type and full shape (exposed for tests).
std::string npy_header(NpyType type, const std::vector<int64_t>& shape, size_t min_size = 0);

}  // namespace seqdl::io
