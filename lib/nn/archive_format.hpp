// The container behind .seqdl model files and training checkpoints, without LibTorch: a JSON header and named
// arrays in one file, checked end to end (tensor_archive.hpp turns the arrays into tensors).
//
// Layout (little-endian): 8-byte magic | u32 format version | u64 header length H | H bytes of JSON (the
// caller's fields plus a "tensors" table of name, dtype, shape, offset, bytes) | array bytes | u32 CRC-32 of
// everything before it. Truncated, corrupt and foreign files are ModelErrors, never crashes, and nothing is
// allocated from a size the file declares before that size is checked against the file's real size.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/atomic_file.hpp"

namespace seqdl::nn {

struct ArchiveEntry {
  std::string name;
  std::string dtype;  // float32 | int64 | uint8
  std::vector<int64_t> shape;
  uint64_t bytes = 0;
  uint64_t elements() const;
};

size_t dtype_size(std::string_view dtype);  // 0 for an unknown type

bool has_magic(const std::string& path, const char (&magic)[9]);

// Reads an archive front to back: the header on construction, then each entry's bytes in order, then the
// checksum. One reader per file and thread.
class ArchiveReader {
 public:
  // Checks the magic, version, header JSON and table (known dtypes, shapes that match their byte counts without
  // overflow, a total that matches the file's size). InputError if the file cannot be opened; ModelError naming
  // the file and `what` ("seqdl model") otherwise.
  ArchiveReader(const std::string& path, const char (&magic)[9], const std::string& what);

  const nlohmann::json& header() const { return header_; }  // the caller's fields (without the table)
  const std::vector<ArchiveEntry>& entries() const { return entries_; }
  uint64_t file_bytes() const { return file_bytes_; }

  // The next entry's bytes into `out` (entry.bytes of them). ModelError when the file ends early.
  void read_next(char* out);
  // Skips every entry not read yet (checksumming them) and checks the checksum. ModelError on a mismatch.
  void finish();

 private:
  void read_exact(char* out, uint64_t n);
  std::string path_;
  std::ifstream in_;
  nlohmann::json header_;
  std::vector<ArchiveEntry> entries_;
  size_t next_ = 0;
  uint64_t file_bytes_ = 0;
  unsigned long crc_ = 0;
};

// Writes an archive atomically (util/atomic_file.hpp): the header and table first, then each entry's bytes in
// table order, then commit(). The same header and bytes always give the same file.
class ArchiveWriter {
 public:
  ArchiveWriter(const std::string& path, const char (&magic)[9], const nlohmann::json& header,
                const std::vector<ArchiveEntry>& entries);
  void write_next(const char* data, uint64_t bytes);
  void commit();

 private:
  AtomicFile file_;
  unsigned long crc_ = 0;
};

}  // namespace seqdl::nn
