// bigWig data blocks read by seqdl (io/coverage_bigwig_blocks): a file written by pyBigWig with all three section
// types (bedGraph, varStep, fixedStep) read against values written down by hand, files built here (compressed and
// not) for the same, and every kind of damaged block or index: a FormatError naming the file, never an allocation
// of a size read from the file (F6 in docs/hardening.md).
#include <gtest/gtest.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <tuple>

#include "common/test_support.hpp"
#include "io/coverage_bigwig_blocks.hpp"
#include "io/coverage_source.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

using Interval = std::tuple<int64_t, int64_t, float>;

// Little-endian writer for the files built here.
struct Bytes {
  std::string s;
  Bytes& u(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  Bytes& f(float v) { return u(std::bit_cast<uint32_t>(v), 4); }
};

// One section (UCSC's bigWig format): chromId, start, end, itemStep, itemSpan, type, reserved, itemCount; then the
// items, whose count is `count` unless given.
std::string section(uint32_t chrom, uint32_t start, uint32_t end, uint32_t step, uint32_t span, int type,
                    const std::string& items, int count) {
  Bytes b;
  b.u(chrom, 4).u(start, 4).u(end, 4).u(step, 4).u(span, 4).u(static_cast<uint64_t>(type), 1).u(0, 1).u(count, 2);
  return b.s + items;
}
std::string bedgraph(uint32_t chrom, const std::vector<Interval>& items) {
  Bytes b;
  for (auto [s, e, v] : items) b.u(static_cast<uint64_t>(s), 4).u(static_cast<uint64_t>(e), 4).f(v);
  return section(chrom, static_cast<uint32_t>(std::get<0>(items.front())),
                 static_cast<uint32_t>(std::get<1>(items.back())), 0, 0, 1, b.s, static_cast<int>(items.size()));
}
std::string fixed_step(uint32_t chrom, uint32_t start, uint32_t step, uint32_t span, const std::vector<float>& v) {
  Bytes b;
  for (float x : v) b.f(x);
  auto end = static_cast<uint32_t>(start + step * (v.size() - 1) + span);
  return section(chrom, start, end, step, span, 3, b.s, static_cast<int>(v.size()));
}

// A bigWig with contigs chr1 (1000 bp) and chr2 (500 bp), no zoom levels, one block per section and one R-tree leaf
// (each leaf spans the section's own chromId, start and end). buf_size 0: blocks stored as they are; otherwise
// zlib-compressed, and buf_size is the header's uncompressBufSize.
struct Built {
  std::string bytes;
  size_t leaves = 0;  // offset of the R-tree leaf's first item
  // Overwrites `n` little-endian bytes at `offset`.
  void patch(size_t offset, uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes[offset + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  void block_size(size_t leaf, uint64_t size) { patch(leaves + 32 * leaf + 24, size, 8); }
};

Built build(const std::vector<std::string>& sections, uint32_t buf_size) {
  std::vector<std::string> blocks;
  for (const auto& s : sections) {
    if (buf_size == 0) {
      blocks.push_back(s);
      continue;
    }
    std::string z(compressBound(s.size()), '\0');
    uLongf n = z.size();
    EXPECT_EQ(compress(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(s.data()), s.size()),
              Z_OK);
    blocks.push_back(z.substr(0, n));
  }
  const uint64_t chrom_tree = 64, data = chrom_tree + 32 + 4 + 2 * 12, first_block = data + 8;
  uint64_t index = first_block;
  for (const auto& b : blocks) index += b.size();
  Bytes h;
  h.u(0x888FFC26, 4).u(4, 2).u(0, 2).u(chrom_tree, 8).u(data, 8).u(index, 8).u(0, 2).u(0, 2).u(0, 8).u(0, 8);
  h.u(buf_size, 4).u(0, 8);
  h.u(0x78CA8C91, 4).u(2, 4).u(4, 4).u(8, 4).u(2, 8).u(0, 8);  // chromosome B+ tree: 2 keys of 4 bytes
  h.u(1, 1).u(0, 1).u(2, 2);
  h.s += "chr1", h.u(0, 4).u(1000, 4);
  h.s += "chr2", h.u(1, 4).u(500, 4);
  h.u(blocks.size(), 8);
  for (const auto& b : blocks) h.s += b;
  h.u(0x2468ACE0, 4).u(256, 4).u(blocks.size(), 8).u(0, 4).u(0, 4).u(1, 4).u(500, 4).u(index, 8).u(1, 4).u(0, 4);
  h.u(1, 1).u(0, 1).u(blocks.size(), 2);
  Built out;
  out.leaves = h.s.size();
  uint64_t offset = first_block;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const std::string& s = sections[i];
    auto field = [&](size_t at) {
      uint32_t v = 0;
      for (size_t k = 4; k-- > 0;) v = v << 8 | static_cast<uint8_t>(s[at + k]);
      return v;
    };
    const bool whole = s.size() >= 24;  // a damaged section shorter than its header: a leaf over all of chr1
    const uint32_t chrom = whole ? field(0) : 0;
    h.u(chrom, 4).u(whole ? field(4) : 0, 4).u(chrom, 4).u(whole ? field(8) : 1000, 4);
    h.u(offset, 8).u(blocks[i].size(), 8);
    offset += blocks[i].size();
  }
  out.bytes = h.s;
  return out;
}

class BigWigBlocksTest : public test::TempDir {
 protected:
  std::vector<Interval> read(const std::string& path, uint32_t chrom, int64_t start, int64_t end) {
    BigWigBlockReader reader(path);
    std::vector<Interval> got;
    reader.intervals(chrom, start, end, [&](int64_t a, int64_t b, float v) { got.emplace_back(a, b, v); });
    return got;
  }
  // The FormatError's message, or "" when reading every interval of both contigs succeeds.
  std::string damage(const std::string& name, const std::string& bytes) {
    std::string path = write(name, bytes);
    try {
      read(path, 0, 0, 1000);
      read(path, 1, 0, 500);
    } catch (const FormatError& e) {
      return e.what();
    }
    return "";
  }
};

// NaN compares unequal to itself: the expectations write it as the string "nan".
std::string show(const std::vector<Interval>& v) {
  std::string s;
  for (auto [a, b, x] : v) {
    s += fmt::format("{}-{}:{} ", a, b, std::isnan(x) ? std::string("nan") : fmt::format("{}", x));
  }
  return s;
}

// tests/fixtures/bigwig_sections.bw was written by pyBigWig 0.3.18 (libBigWig 0.4.7) with
//   bw.addHeader([("chr1", 1000), ("chr2", 500)], maxZooms=0)
//   bw.addEntries(["chr1"] * 3, [10, 20, 30], ends=[15, 22, 40], values=[1.5, 0.0, -2.0])       # bedGraph
//   bw.addEntries("chr1", [100, 110, 130], values=[3.0, float("nan"), 4.0], span=5)           # varStep
//   bw.addEntries("chr1", 200, values=[1.0, 2.0, 0.5], span=3, step=10)                        # fixedStep
//   bw.addEntries("chr2", 0, values=[7.0, 8.0], span=2, step=4)                                # fixedStep
// (each section followed by an empty one of the same type: libBigWig's habit).
TEST_F(BigWigBlocksTest, ReadsTheThreeSectionTypesPyBigWigWrites) {
  const std::string path = test::fixture("bigwig_sections.bw");
  EXPECT_EQ(show(read(path, 0, 0, 1000)),
            "10-15:1.5 20-22:0 30-40:-2 100-105:3 110-115:nan 130-135:4 200-203:1 210-213:2 220-223:0.5 ");
  EXPECT_EQ(show(read(path, 1, 0, 500)), "0-2:7 4-6:8 ");
  // Items overlapping the query, unclipped; the one ending at 12 and the one starting at 212 are outside.
  EXPECT_EQ(show(read(path, 0, 14, 211)), "10-15:1.5 20-22:0 30-40:-2 100-105:3 110-115:nan 130-135:4 200-203:1 "
                                          "210-213:2 ");
  EXPECT_EQ(show(read(path, 0, 15, 20)), "");
  EXPECT_EQ(show(read(path, 0, 223, 1000)), "");
}

TEST_F(BigWigBlocksTest, CoverageCountsThroughTheBlocks) {
  CoverageOptions o;
  o.inputs = {test::fixture("bigwig_sections.bw")};
  o.strands = StrandMode::combined;
  CoverageSummary summary;
  CoverageStore s = count_coverage(o, {{"chr1", 1000}, {"chr2", 500}}, summary);
  auto runs = [&](const char* chrom) {
    std::string out;
    for (auto r : s.runs(static_cast<size_t>(s.contig_index(chrom)), 0)) {
      out += fmt::format("{}-{}:{} ", r.start, r.end, r.value);
    }
    return out;
  };
  EXPECT_EQ(runs("chr1"), "10-15:1.5 30-40:-2 100-105:3 130-135:4 200-203:1 210-213:2 220-223:0.5 ");  // 0, NaN: none
  EXPECT_EQ(runs("chr2"), "0-2:7 4-6:8 ");
  EXPECT_EQ(summary.records, 11u);
  // Regions clip the items; a genome without chr2 counts chr2's two items as records on a missing contig.
  o.regions = {{"chr1", 12, 212, ""}};
  summary = {};
  s = count_coverage(o, {{"chr1", 1000}}, summary);
  EXPECT_EQ(runs("chr1"), "12-15:1.5 30-40:-2 100-105:3 130-135:4 200-203:1 210-212:2 ");
  EXPECT_EQ(summary.missing_contigs["chr2"], 2u);
}

TEST_F(BigWigBlocksTest, CompressedAndStoredBlocksReadAlike) {
  const std::vector<std::string> sections = {bedgraph(0, {{5, 9, 2.5f}, {9, 12, 0.25f}}),
                                             fixed_step(0, 50, 7, 2, {1, 2, 3}), fixed_step(1, 0, 1, 1, {9})};
  for (uint32_t buf : {0u, 1024u}) {
    std::string path = write("b" + std::to_string(buf) + ".bw", build(sections, buf).bytes);
    EXPECT_EQ(show(read(path, 0, 0, 1000)), "5-9:2.5 9-12:0.25 50-52:1 57-59:2 64-66:3 ") << buf;
    EXPECT_EQ(show(read(path, 1, 0, 500)), "0-1:9 ") << buf;
  }
}

TEST_F(BigWigBlocksTest, DamagedBlocksAreFormatErrors) {
  const std::string good = fixed_step(0, 50, 7, 2, {1, 2, 3});
  auto with = [&](uint32_t buf, auto change) {
    Built b = build({good, fixed_step(1, 0, 1, 1, {9})}, buf);
    change(b);
    return b.bytes;
  };
  auto none = [](Built&) {};
  EXPECT_EQ(damage("ok.bw", with(1024, none)), "");
  // F6's inputs: a leaf's size of 4 GB, 8 GB and 3e17 bytes.
  for (uint64_t size : {uint64_t{1} << 32, uint64_t{1} << 33, uint64_t{300000000000000000}}) {
    EXPECT_EQ(damage("big.bw", with(1024, [&](Built& b) { b.block_size(0, size); })),
              path("big.bw") + ": a damaged bigWig (a data block past its end)");
  }
  EXPECT_EQ(damage("buf.bw", with(1024, [](Built& b) { b.patch(52, 0xFFFFFFFF, 4); })),
            path("buf.bw") + ": a damaged bigWig (an uncompressBufSize over 64 MiB)");
  // uncompressBufSize 8: the 36-byte section's zlib stream is longer than compressBound(8) = 21 bytes; 30: it fits
  // there but inflates to more than 30 bytes.
  EXPECT_EQ(damage("small.bw", with(8, none)),
            path("small.bw") + ": a damaged bigWig (a data block larger than the header's uncompressBufSize allows)");
  EXPECT_EQ(damage("over.bw", with(30, none)),
            path("over.bw") + ": a damaged bigWig (a data block larger than the header's uncompressBufSize)");
  EXPECT_EQ(damage("z.bw", with(1024, [](Built& b) { b.patch(b.leaves - 60, 0xDEADBEEF, 4); })),
            path("z.bw") + ": a damaged bigWig (a data block that does not inflate)");
  auto raw = [&](const std::string& name, const std::string& section) {
    return damage(name, build({section}, 0).bytes);
  };
  EXPECT_EQ(raw("n.bw", section(0, 0, 10, 1, 1, 3, std::string(8, '\0'), 3)),
            path("n.bw") + ": a damaged bigWig (a data block with fewer items than its section header declares)");
  EXPECT_EQ(raw("t.bw", section(0, 0, 10, 1, 1, 4, std::string(8, '\0'), 2)),
            path("t.bw") + ": a damaged bigWig (a data section of unknown type)");
  EXPECT_EQ(raw("s.bw", std::string(10, '\0')),
            path("s.bw") + ": a damaged bigWig (a data block shorter than its section header)");
  // An R-tree whose root lists itself as its child.
  Built loop = build({good}, 0);
  const size_t root = loop.leaves - 4;
  loop.patch(root, 0, 1);  // not a leaf: items of 24 bytes, the child's offset at +16
  loop.patch(loop.leaves + 16, root, 8);
  EXPECT_EQ(damage("loop.bw", loop.bytes), path("loop.bw") + ": a damaged bigWig (a data index that loops)");
}

TEST_F(BigWigBlocksTest, CoverageReportsADamagedBlock) {
  Built b = build({fixed_step(0, 50, 7, 2, {1, 2, 3}), fixed_step(1, 0, 1, 1, {9})}, 1024);
  b.block_size(1, uint64_t{1} << 32);
  CoverageOptions o;
  o.inputs = {write("d.bw", b.bytes)};
  o.strands = StrandMode::combined;
  CoverageSummary summary;
  // Through the counted contig and through the missing contig's record count alike.
  for (std::vector<Contig> genome : {std::vector<Contig>{{"chr1", 1000}, {"chr2", 500}}, {{"chr1", 1000}}}) {
    try {
      count_coverage(o, genome, summary);
      ADD_FAILURE() << "no error";
    } catch (const FormatError& e) {
      EXPECT_EQ(std::string(e.what()), path("d.bw") + ": a damaged bigWig (a data block past its end)");
    }
  }
}

}  // namespace
}  // namespace seqdl::io
