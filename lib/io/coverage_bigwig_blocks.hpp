// bigWig data blocks read by seqdl itself: the data R-tree walked and every block checked against the file before
// anything is allocated for it (libBigWig trusts the sizes it reads: F6 in docs/hardening.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seqdl::io {

// The full-resolution data of one bigWig file (UCSC's bigWig format): the header's uncompressBufSize and data
// index, the R-tree's leaves, and the blocks they point to (zlib-compressed when uncompressBufSize != 0), each one
// section: a 24-byte header (chromId, start, end, itemStep, itemSpan, type, reserved, itemCount) and itemCount
// items of type 1 (bedGraph: start, end, value), 2 (varStep: start, value) or 3 (fixedStep: value).
// Owns an open file descriptor. One reader per thread: calls are not safe concurrently on the same reader.
class BigWigBlockReader {
 public:
  // Called for every item that overlaps the query, in file order: [start, end) and its value (0 and NaN included).
  using Emit = std::function<void(int64_t start, int64_t end, float value)>;

  // Opens `path` and reads its header. The caller has checked the magic number and the fixed layout
  // (coverage_bigwig.cpp). Throws InputError when the file cannot be opened, FormatError (naming the file) when the
  // header's uncompressBufSize is over 64 MiB or the data index is not an R-tree.
  explicit BigWigBlockReader(const std::string& path);
  ~BigWigBlockReader();
  BigWigBlockReader(const BigWigBlockReader&) = delete;
  BigWigBlockReader& operator=(const BigWigBlockReader&) = delete;

  // Calls `emit` for every item of chromosome `chrom_id` (the id of the file's chromosome list) that overlaps
  // [start, end). Throws FormatError "PATH: a damaged bigWig (...)" on a damaged R-tree node (past the file's end,
  // a loop) or block (past the file's end, larger than uncompressBufSize allows, not inflating, fewer bytes than its
  // itemCount needs, an unknown section type); the only allocations are sized by the file's checked bytes and
  // uncompressBufSize. Whatever `emit` throws propagates.
  void intervals(uint32_t chrom_id, int64_t start, int64_t end, const Emit& emit);

 private:
  struct Block {
    uint64_t offset, size;
  };
  void find_blocks(uint32_t chrom_id, int64_t start, int64_t end, std::vector<Block>& blocks);
  void read_block(const Block& block, std::vector<unsigned char>& out);
  void read_at(uint64_t offset, uint64_t bytes, unsigned char* out);
  [[noreturn]] void damaged(const char* what) const;

  std::string path_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  uint64_t buf_size_ = 0;    // the header's uncompressBufSize: 0 when blocks are stored uncompressed
  uint64_t index_root_ = 0;  // the R-tree's root node (after its 48-byte header)
  std::vector<unsigned char> raw_, node_;
};

}  // namespace seqdl::io
