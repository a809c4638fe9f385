#include <gtest/gtest.h>

#include <sstream>

#include "common/test_support.hpp"
#include "encode/bases.hpp"
#include "io/bam.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

struct SamRow {
  std::string name, seq, qual;
  int flag = 0, mapq = 0;
  std::string chrom;
  int64_t pos = 0;
};

// samtools view's own rows, as the independent reference.
std::vector<SamRow> samtools_view(const std::string& args) {
  std::istringstream in(test::run_command("samtools view " + args));
  std::vector<SamRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    SamRow r;
    std::string cigar, rnext, pnext, tlen;
    f >> r.name >> r.flag >> r.chrom >> r.pos >> r.mapq >> cigar >> rnext >> pnext >> tlen >> r.seq >> r.qual;
    rows.push_back(r);
  }
  return rows;
}

std::vector<ReadRecord> read_all(BamReader& reader, bool read_orientation = false) {
  std::vector<ReadRecord> out;
  ReadRecord r;
  while (reader.next(r, read_orientation)) out.push_back(r);
  return out;
}

void expect_same(const std::vector<ReadRecord>& ours, const std::vector<SamRow>& theirs) {
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(ours[i].name, theirs[i].name);
    EXPECT_EQ(ours[i].seq, theirs[i].seq) << ours[i].name;
    EXPECT_EQ(ours[i].qual, theirs[i].qual == "*" ? "" : theirs[i].qual) << ours[i].name;
    EXPECT_EQ(ours[i].flag, theirs[i].flag);
    EXPECT_EQ(ours[i].mapq, theirs[i].mapq);
    EXPECT_EQ(ours[i].chrom, theirs[i].chrom);
    EXPECT_EQ(ours[i].pos + 1, theirs[i].pos);
  }
}

}  // namespace

TEST(Bam, WholeFileMatchesSamtoolsView) {
  SEQDL_SHARED_OR_SKIP(bam, "samtools_ex1/ex1.bam");
  SEQDL_TOOL_OR_SKIP("samtools");
  BamReader reader(bam, "", ReadFilter{0, 0, 0});
  expect_same(read_all(reader), samtools_view("'" + bam + "'"));
}

class BamText : public test::TempDir {};

TEST_F(BamText, GzippedSamReadsLikeTheBam) {
  SEQDL_SHARED_OR_SKIP(bam, "samtools_ex1/ex1.bam");
  SEQDL_TOOL_OR_SKIP("samtools");
  std::string sam = path("ex1.sam.gz");
  test::run_command("samtools view -h '" + bam + "' | gzip -c > '" + sam + "'");
  BamReader reader(sam, "", ReadFilter{0, 0, 0});
  expect_same(read_all(reader), samtools_view("'" + bam + "'"));
}

TEST(Bam, RegionAndFiltersMatchSamtools) {
  SEQDL_SHARED_OR_SKIP(bam, "samtools_ex1/ex1.bam");
  SEQDL_TOOL_OR_SKIP("samtools");
  BamReader reader(bam, "", ReadFilter{30, 0x10, 0x400});
  reader.set_region("seq2:100-500", "--region");
  expect_same(read_all(reader), samtools_view("-q 30 -f 0x10 -F 0x400 '" + bam + "' seq2:100-500"));
}

TEST(Bam, ReadOrientationReverseComplementsReverseReads) {
  SEQDL_SHARED_OR_SKIP(bam, "samtools_ex1/ex1.bam");
  BamReader stored(bam), oriented(bam);
  auto a = read_all(stored), b = read_all(oriented, true);
  ASSERT_EQ(a.size(), b.size());
  size_t reversed = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].reverse()) {
      ++reversed;
      EXPECT_EQ(b[i].seq, encode::reverse_complement(a[i].seq));
      EXPECT_EQ(b[i].qual, std::string(a[i].qual.rbegin(), a[i].qual.rend()));
    } else {
      EXPECT_EQ(b[i].seq, a[i].seq);
    }
  }
  EXPECT_GT(reversed, 100u);
}

TEST(Bam, CramWithItsReferenceMatchesTheBam) {
  SEQDL_SHARED_OR_SKIP(cram, "freebayes_tiny_na12878/NA12878.chr22.tiny.cram");
  SEQDL_SHARED_OR_SKIP(bam, "freebayes_tiny_na12878/NA12878.chr22.tiny.bam");
  SEQDL_SHARED_OR_SKIP(ref, "freebayes_tiny_na12878/q.fa");
  SEQDL_TOOL_OR_SKIP("samtools");
  BamReader c(cram, ref, ReadFilter{0, 0, 0});
  auto reads = read_all(c);
  expect_same(reads, samtools_view("-T '" + ref + "' '" + cram + "'"));
  BamReader b(bam, "", ReadFilter{0, 0, 0});
  EXPECT_EQ(read_all(b).size(), reads.size());
  EXPECT_THROW(BamReader(cram, ""), UsageError);
}

TEST(Bam, CoverageMatchesSamtoolsDepth) {
  SEQDL_SHARED_OR_SKIP(bam, "samtools_ex1/ex1.bam");
  SEQDL_TOOL_OR_SKIP("samtools");
  BamReader reader(bam, "", ReadFilter{0, 0, 0x704});
  auto depth = reader.coverage(Region{"seq1", 199, 400, ""});
  // samtools depth -a: every position, default filter UNMAP|SECONDARY|QCFAIL|DUP (0x704), no base-quality cut.
  std::istringstream in(test::run_command("samtools depth -a -q 0 -Q 0 -r seq1:200-400 '" + bam + "'"));
  std::string chrom;
  int64_t pos;
  uint32_t d;
  size_t n = 0;
  while (in >> chrom >> pos >> d) {
    ASSERT_LT(static_cast<size_t>(pos - 200), depth.size());
    EXPECT_EQ(depth[pos - 200], d) << pos;
    ++n;
  }
  EXPECT_EQ(n, depth.size());
}

TEST(Bam, Errors) {
  SEQDL_SHARED_OR_SKIP(bam, "samtools_ex1/ex1.bam");
  BamReader reader(bam);
  EXPECT_THROW(reader.set_region("chrZ:1-10", "--region"), InputError);
  EXPECT_THROW(reader.set_region("seq1:1-999999", "--region"), InputError);
  SEQDL_SHARED_OR_SKIP(fa, "samtools_ex1/ex1.fa");
  EXPECT_THROW(BamReader r(fa), FormatError);
}

}  // namespace seqdl::io
