// bigWig coverage: reading a track into the sink, and the header's contigs. libBigWig opens the file and reads its
// chromosome list; the data blocks are read by seqdl (coverage_bigwig_blocks.hpp).

extern "C" {
#include <bigWig.h>
}

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <vector>

#include "io/coverage_bigwig_blocks.hpp"
#include "io/coverage_sink.hpp"
#include "io/coverage_writer.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

struct BigWigCloser {
  void operator()(bigWigFile_t* bw) const { bwClose(bw); }
};
using BigWigPtr = std::unique_ptr<bigWigFile_t, BigWigCloser>;

// Little-endian fields of a bigWig file read at given offsets (libBigWig reads only little-endian files).
class LayoutReader {
 public:
  explicit LayoutReader(const std::string& path) : in_(path, std::ios::binary), path_(path) {
    std::error_code ec;
    size_ = std::filesystem::file_size(path, ec);
    if (ec || !in_) throw InputError("cannot open {}", path);
  }
  uint64_t size() const { return size_; }
  uint64_t read(uint64_t offset, int bytes) {
    if (offset > size_ || static_cast<uint64_t>(bytes) > size_ - offset) truncated();
    unsigned char b[8] = {};
    in_.seekg(static_cast<std::streamoff>(offset));
    if (!in_.read(reinterpret_cast<char*>(b), bytes)) truncated();
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b[i];
    return v;
  }
  [[noreturn]] void truncated() const { throw FormatError("{}: a damaged bigWig (an offset past its end)", path_); }

 private:
  std::ifstream in_;
  std::string path_;
  uint64_t size_ = 0;
};

// libBigWig stores each leaf's contig at the index the leaf names (its chromId): an id beyond the list writes
// outside it (found by fuzz_bigwig). Walks the B+ tree: every id inside the list, as many leaves as the list
// declares, at most 32 levels and 2n + 64 nodes (a loop of child offsets ends there).
void check_chrom_tree(LayoutReader& f, uint64_t root, uint64_t key_size, uint64_t item_count,
                      const std::string& path) {
  auto bad = [&](const char* what) -> void { throw FormatError("{}: a damaged bigWig ({})", path, what); };
  struct Node {
    uint64_t offset;
    int depth;
  };
  std::vector<Node> stack{{root, 0}};
  std::vector<bool> seen(item_count);  // item_count is bounded by the file's size
  uint64_t leaves = 0, nodes = 0;
  while (!stack.empty()) {
    const Node n = stack.back();
    stack.pop_back();
    if (++nodes > 2 * item_count + 64 || n.depth > 32) bad("a chromosome list that loops");
    const bool leaf = f.read(n.offset, 1) != 0;
    const uint64_t count = f.read(n.offset + 2, 2);
    uint64_t p = n.offset + 4;
    for (uint64_t i = 0; i < count; ++i, p += key_size + 8) {
      if (!leaf) {
        stack.push_back({f.read(p + key_size, 8), n.depth + 1});
      } else {
        const uint64_t id = f.read(p + key_size, 4);
        if (id >= item_count || ++leaves > item_count) bad("a chromosome id beyond the list");
        if (seen[id]) bad("a chromosome id listed twice");
        seen[id] = true;
      }
    }
  }
  if (leaves != item_count) bad("fewer chromosomes than the list declares");
}

// libBigWig trusts the header's offsets and counts: on a damaged header bwOpen's clean-up frees what it never
// allocated (SIGSEGV, found by a crafted file). The fixed layout (UCSC's bigWig format: the 64-byte header, the
// zoom headers after it, the chromosome B+ tree and the data R-tree at their offsets) is checked here first.
void check_bigwig_layout(const std::string& path) {
  constexpr uint64_t kChromTreeMagic = 0x78CA8C91, kRTreeMagic = 0x2468ACE0;
  LayoutReader f(path);
  const uint64_t zoom_levels = f.read(6, 2), chrom_tree = f.read(8, 8), full_data = f.read(16, 8);
  const uint64_t full_index = f.read(24, 8), auto_sql = f.read(36, 8), summary = f.read(44, 8);
  auto bad = [&](const char* what) -> void { throw FormatError("{}: a damaged bigWig ({})", path, what); };
  const uint64_t header_end = 64 + 24 * zoom_levels;
  if (header_end > f.size()) f.truncated();
  if (chrom_tree < header_end || full_data < header_end || full_index < header_end) bad("an offset inside the header");
  if ((auto_sql != 0 && auto_sql < header_end) || (summary != 0 && summary < header_end)) {
    bad("an offset inside the header");
  }
  if (summary != 0) f.read(summary + 32, 8);  // the 40-byte summary and the autoSql text must lie inside the file
  if (auto_sql != 0) f.read(auto_sql, 1);
  if (f.read(full_data, 4) > f.size()) bad("more data records than bytes");
  for (uint64_t z = 0; z < zoom_levels; ++z) {
    const uint64_t data = f.read(64 + 24 * z + 8, 8), index = f.read(64 + 24 * z + 16, 8);
    if (data < header_end || index < header_end) bad("a zoom level inside the header");
    if (f.read(index, 4) != kRTreeMagic) bad("a zoom level's index is not an R-tree");
  }
  if (f.read(chrom_tree, 4) != kChromTreeMagic) bad("the chromosome list is not a B+ tree");
  const uint64_t block_size = f.read(chrom_tree + 4, 4), key_size = f.read(chrom_tree + 8, 4);
  const uint64_t value_size = f.read(chrom_tree + 12, 4), item_count = f.read(chrom_tree + 16, 8);
  if (block_size == 0 || key_size == 0 || key_size > 255 || value_size != 8 ||
      item_count > f.size() / (key_size + 8)) {
    bad("an impossible chromosome list");
  }
  check_chrom_tree(f, chrom_tree + 32, key_size, item_count, path);
  if (f.read(full_index, 4) != kRTreeMagic) bad("the data index is not an R-tree");
  // bwOpen reads the R-tree's 48-byte header and its root node, and prints to stderr when they are cut short.
  const uint64_t root = full_index + 48, root_items = f.read(root + 2, 2);
  if (root_items > 0) f.read(root + 4 + root_items * (f.read(root, 1) != 0 ? 32 : 24) - 1, 1);
}

BigWigPtr open_bigwig(const std::string& path) {
  init_bigwig();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("cannot open {}: no such file", path);
  // bwIsBigWig reads the magic number quietly; bwOpen on another kind of file would print to stderr.
  if (bwIsBigWig(const_cast<char*>(path.c_str()), nullptr) != 1) throw FormatError("{}: not a bigWig file", path);
  check_bigwig_layout(path);
  bigWigFile_t* bw = bwOpen(const_cast<char*>(path.c_str()), nullptr, "r");
  if (bw == nullptr || bw->cl == nullptr) {
    if (bw != nullptr) bwClose(bw);
    throw FormatError("{}: cannot read this bigWig's header", path);
  }
  BigWigPtr owned(bw);
  for (int64_t i = 0; i < bw->cl->nKeys; ++i) {
    if (bw->cl->chrom[i] == nullptr) throw FormatError("{}: a damaged bigWig (a chromosome without a name)", path);
  }
  return owned;
}

// Adds [start, end) of one chromosome (chrom_id in the file's list) to the sink. Each item overlapping the span
// counts as a record; 0 and NaN add nothing.
void read_span(BigWigBlockReader& blocks, const std::string& path, uint32_t chrom_id, const char* chrom, int contig,
               int strand, int64_t start, int64_t end, CoverageSink& sink) {
  blocks.intervals(chrom_id, start, end, [&](int64_t a, int64_t b, float v) {
    sink.count_records();
    if (v == 0 || v != v) return;
    a = std::max(a, start), b = std::min(b, end);
    if (a < b && !sink.interval(contig, strand, a, b, v)) {
      throw InputError("{}: {} runs past its end in the genome ({} bp)", path, chrom, sink.length(contig));
    }
  });
}

}  // namespace

void init_bigwig() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (bwInit(1 << 17) != 0) throw InputError("cannot initialise libBigWig");
  });
}

void bigwig_contigs(const std::string& path, std::vector<Contig>& contigs) {
  BigWigPtr bw = open_bigwig(path);
  for (int64_t i = 0; i < bw->cl->nKeys; ++i) contigs.push_back({bw->cl->chrom[i], bw->cl->len[i]});
}

void read_bigwig(const std::string& path, int strand, CoverageSink& sink) {
  BigWigPtr bw = open_bigwig(path);
  // libBigWig reads the header and the chromosome list; the data blocks are read here (F6: libBigWig trusts their
  // sizes). libBigWig stores each contig at its chromId, so i is the id the blocks name.
  BigWigBlockReader blocks(path);
  for (int64_t i = 0; i < bw->cl->nKeys; ++i) {
    const auto chrom_id = static_cast<uint32_t>(i);
    const char* chrom = bw->cl->chrom[i];
    int64_t length = bw->cl->len[i];
    int contig = sink.find(chrom);
    if (contig < 0) {
      // Counted as one record per contig: a bigWig's contig without data is no evidence of a mismatch.
      uint64_t n = 0;
      blocks.intervals(chrom_id, 0, length, [&n](int64_t, int64_t, float) { ++n; });
      if (n > 0) {
        sink.count_records(n);
        sink.summary().missing_contigs[chrom] += n;
      }
      continue;
    }
    if (length > sink.length(contig)) {
      throw InputError("{}: contig {} is {} bp in its header but {} bp in the genome: the track is from another "
                       "assembly", path, chrom, length, sink.length(contig));
    }
    if (!sink.has_regions()) {
      read_span(blocks, path, chrom_id, chrom, contig, strand, 0, length, sink);
      continue;
    }
    for (auto [a, b] : sink.regions_of(contig)) {
      read_span(blocks, path, chrom_id, chrom, contig, strand, a, std::min(b, length), sink);
    }
  }
}

}  // namespace seqdl::io
