// bigWig data blocks, read from the format's description (UCSC's bigWig/bigBed paper and file-format notes), with
// every size checked against the file and the header before it is used.

#include "io/coverage_bigwig_blocks.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <tuple>
#include <unordered_set>

#include "util/error.hpp"

namespace seqdl::io {
namespace {

constexpr uint64_t kRTreeMagic = 0x2468ACE0;
constexpr uint64_t kRTreeHeaderBytes = 48;
constexpr uint64_t kLeafItemBytes = 32;  // startChromIx, startBase, endChromIx, endBase, dataOffset, dataSize
constexpr uint64_t kNodeItemBytes = 24;  // the same, with the child's offset instead of the data
constexpr uint64_t kSectionHeaderBytes = 24;
// Real writers use 32 KiB to 1 MiB; a larger value is damage, and every block is inflated into this many bytes.
constexpr uint64_t kMaxUncompressBufSize = uint64_t{64} << 20;

// Little-endian unsigned integer of `bytes` bytes at p.
uint64_t le(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

float le_float(const unsigned char* p) { return std::bit_cast<float>(static_cast<uint32_t>(le(p, 4))); }

}  // namespace

BigWigBlockReader::BigWigBlockReader(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    int err = errno;
    if (fd_ >= 0) ::close(fd_);
    throw InputError("cannot open {}: {}", path, errno_text(err));
  }
  file_size_ = static_cast<uint64_t>(st.st_size);
  unsigned char header[64];
  read_at(0, sizeof header, header);
  buf_size_ = le(header + 52, 4);
  if (buf_size_ > kMaxUncompressBufSize) damaged("an uncompressBufSize over 64 MiB");
  const uint64_t index = le(header + 24, 8);
  unsigned char magic[4];
  read_at(index, 4, magic);
  if (le(magic, 4) != kRTreeMagic) damaged("the data index is not an R-tree");
  index_root_ = index + kRTreeHeaderBytes;
}

BigWigBlockReader::~BigWigBlockReader() { ::close(fd_); }

void BigWigBlockReader::damaged(const char* what) const {
  throw FormatError("{}: a damaged bigWig ({})", path_, what);
}

void BigWigBlockReader::read_at(uint64_t offset, uint64_t bytes, unsigned char* out) {
  if (offset > file_size_ || bytes > file_size_ - offset) damaged("an offset past its end");
  while (bytes > 0) {
    ssize_t n = ::pread(fd_, out, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError("cannot read {}: {}", path_, errno_text(errno));
    if (n == 0) damaged("an offset past its end");  // the file shrank while it was read
    out += n, offset += static_cast<uint64_t>(n), bytes -= static_cast<uint64_t>(n);
  }
}

// The leaves of the R-tree whose range of (chromosome, base) touches [start, end) of chrom_id, in file order. A
// node visited twice is a loop (a tree reaches each node once), which also bounds the walk by the file's size.
void BigWigBlockReader::find_blocks(uint32_t chrom_id, int64_t start, int64_t end, std::vector<Block>& blocks) {
  using Position = std::tuple<uint64_t, uint64_t>;
  const Position query_start{chrom_id, static_cast<uint64_t>(start)}, query_end{chrom_id, static_cast<uint64_t>(end)};
  std::vector<uint64_t> stack{index_root_};
  std::unordered_set<uint64_t> seen;
  while (!stack.empty()) {
    const uint64_t offset = stack.back();
    stack.pop_back();
    if (!seen.insert(offset).second) damaged("a data index that loops");
    unsigned char head[4];
    read_at(offset, 4, head);
    const bool leaf = head[0] != 0;
    const uint64_t count = le(head + 2, 2), item_bytes = leaf ? kLeafItemBytes : kNodeItemBytes;
    node_.resize(count * item_bytes);  // at most 65535 * 32 bytes
    read_at(offset + 4, node_.size(), node_.data());
    const size_t children = stack.size();
    for (uint64_t i = 0; i < count; ++i) {
      const unsigned char* p = node_.data() + i * item_bytes;
      const Position first{le(p, 4), le(p + 4, 4)}, last{le(p + 8, 4), le(p + 12, 4)};
      if (first > query_end || last < query_start) continue;
      if (leaf) {
        blocks.push_back({le(p + 16, 8), le(p + 24, 8)});
      } else {
        stack.push_back(le(p + 16, 8));
      }
    }
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(children), stack.end());  // first child on top
  }
}

// The block's section, inflated when the file is compressed, into `out`.
void BigWigBlockReader::read_block(const Block& block, std::vector<unsigned char>& out) {
  if (block.offset > file_size_ || block.size > file_size_ - block.offset) damaged("a data block past its end");
  if (buf_size_ == 0) {
    out.resize(block.size);
    read_at(block.offset, block.size, out.data());
    return;
  }
  if (block.size > compressBound(static_cast<uLong>(buf_size_))) {
    damaged("a data block larger than the header's uncompressBufSize allows");
  }
  raw_.resize(block.size);
  read_at(block.offset, block.size, raw_.data());
  out.resize(buf_size_);
  uLongf inflated = static_cast<uLongf>(out.size());
  int rc = ::uncompress(out.data(), &inflated, raw_.data(), static_cast<uLong>(raw_.size()));
  if (rc == Z_BUF_ERROR && inflated == out.size()) damaged("a data block larger than the header's uncompressBufSize");
  if (rc != Z_OK) damaged("a data block that does not inflate");
  out.resize(inflated);
}

void BigWigBlockReader::intervals(uint32_t chrom_id, int64_t start, int64_t end, const Emit& emit) {
  std::vector<Block> blocks;
  find_blocks(chrom_id, start, end, blocks);
  std::vector<unsigned char> data;
  for (const Block& block : blocks) {
    read_block(block, data);
    if (data.size() < kSectionHeaderBytes) damaged("a data block shorter than its section header");
    const unsigned char* h = data.data();
    if (le(h, 4) != chrom_id) continue;  // a block of another chromosome listed by a leaf that spans both
    const int64_t section_start = static_cast<int64_t>(le(h + 4, 4));
    const int64_t step = static_cast<int64_t>(le(h + 12, 4)), span = static_cast<int64_t>(le(h + 16, 4));
    const unsigned type = h[20];
    const uint64_t count = le(h + 22, 2);
    const uint64_t item_bytes = type == 1 ? 12 : type == 2 ? 8 : type == 3 ? 4 : 0;
    if (item_bytes == 0) damaged("a data section of unknown type");
    if (count * item_bytes > data.size() - kSectionHeaderBytes) {
      damaged("a data block with fewer items than its section header declares");
    }
    const unsigned char* p = h + kSectionHeaderBytes;
    for (uint64_t i = 0; i < count; ++i, p += item_bytes) {
      int64_t a = 0, b = 0;
      float value = 0;
      if (type == 1) {
        a = static_cast<int64_t>(le(p, 4)), b = static_cast<int64_t>(le(p + 4, 4)), value = le_float(p + 8);
      } else if (type == 2) {
        a = static_cast<int64_t>(le(p, 4)), b = a + span, value = le_float(p + 4);
      } else {
        a = section_start + static_cast<int64_t>(i) * step, b = a + span, value = le_float(p);
      }
      if (a < end && b > start) emit(a, b, value);
    }
  }
}

}  // namespace seqdl::io
