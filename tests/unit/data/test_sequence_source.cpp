#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "data/genome_regions.hpp"
#include "data/sequence_source.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

class SourceTest : public test::TempDir {
 protected:
  std::vector<NamedSequence> read_all(const SourceSpec& spec) {
    auto src = open_sequences(spec);
    std::vector<NamedSequence> out;
    NamedSequence s;
    while (src->next(s)) out.push_back(s);
    return out;
  }
};

}  // namespace

TEST_F(SourceTest, DetectsWhatAFileHolds) {
  EXPECT_EQ(detect_input(test::fixture("tiny.fa")), InputKind::fasta);
  EXPECT_EQ(detect_input(test::fixture("tiny.fq")), InputKind::fastq);
  EXPECT_EQ(detect_input(test::fixture("labels.tsv")), InputKind::table);
  EXPECT_EQ(detect_input(write_gzip("z.fa.gz", ">a\nACGT\n")), InputKind::fasta);
  EXPECT_EQ(detect_input(write("x.dat", "hello world\n")), InputKind::unknown);
  EXPECT_THROW(detect_input(path("missing.fa")), InputError);
  EXPECT_THROW(detect_input(write("empty.fa", "")), FormatError);
}

TEST_F(SourceTest, FastaAndTables) {
  auto fa = read_all({.input = test::fixture("tiny.fa")});
  ASSERT_EQ(fa.size(), 3u);
  EXPECT_EQ(fa[0].id, "seq1");
  auto table = read_all({.input = test::fixture("labels.tsv"), .sequence_column = "seq", .id_column = "id"});
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[2].id, "r3");
  EXPECT_EQ(table[2].seq, "ggggcccc");
  EXPECT_THROW(read_all({.input = test::fixture("labels.tsv")}), UsageError);  // which column?
  EXPECT_THROW(read_all({.input = write("x.dat", "hello\n")}), FormatError);
}

TEST_F(SourceTest, GenomeRegionsFromBedAndStrings) {
  std::string fa = write("g.fa", ">chr1\nAACCGGTTAACCGGTTAACC\n>chr2\nACGTA\n");
  std::string bed = write("r.bed", "chr1\t2\t6\tfirst\t0\t-\nchr2\t0\t5\n");
  auto got = read_all({.input = fa, .regions = {bed, "chr1:11-14"}});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id, "first");
  EXPECT_EQ(got[0].seq, "CCGG");
  EXPECT_EQ(got[1].id, "chr2:1-5");
  EXPECT_EQ(got[2].seq, "CCGG");
  EXPECT_EQ(got[2].id, "chr1:11-14");
  auto stranded = read_all({.input = fa, .regions = {bed}, .stranded = true});
  EXPECT_EQ(stranded[0].seq, "CCGG");  // its own reverse complement
  auto windows = read_all({.input = fa, .regions = {bed}, .window = 6});
  EXPECT_EQ(windows[0].seq, "ACCGGT");  // centre 4: [1, 7)
  EXPECT_EQ(windows[1].seq, "NACGTA");  // centre 0 + 5 / 2 = 2: [-1, 5), padded on the left
}

TEST_F(SourceTest, WindowsRunningOffContigsAreCounted) {
  std::string fa = write("g.fa", ">c\nACGTACGTAC\n");
  auto src = open_sequences({.input = fa, .regions = {"c:1-2", "c:5-6"}, .window = 6});
  NamedSequence s;
  ASSERT_TRUE(src->next(s));
  EXPECT_EQ(s.seq, "NNACGT");  // centre 1: [-2, 4)
  ASSERT_TRUE(src->next(s));
  EXPECT_EQ(s.seq, "GTACGT");
  EXPECT_EQ(src->padded_at_contig_ends(), 1u);
}

TEST_F(SourceTest, ShardsAreContiguousPartsThatKnowWhereTheyStart) {
  std::string fa = write("g.fa", ">c\nACGTACGTACGTACGTACGT\n");
  std::vector<std::string> regions = {"c:1-2", "c:3-4", "c:5-6", "c:7-8", "c:9-10"};
  std::vector<std::string> ids;
  std::vector<uint64_t> firsts;
  for (int k = 1; k <= 3; ++k) {  // 5 regions in 3 parts: 1, 2, 2 (sizes differ by at most one)
    auto src = open_sequences({.input = fa, .regions = regions, .shard_k = k, .shard_n = 3});
    firsts.push_back(src->first_index());
    NamedSequence s;
    while (src->next(s)) ids.push_back(s.id);
  }
  EXPECT_EQ(ids, regions);  // together, in order, each once
  EXPECT_EQ(firsts, (std::vector<uint64_t>{0, 1, 3}));
  EXPECT_EQ(open_sequences({.input = test::fixture("tiny.fa")})->first_index(), 0u);
}

TEST_F(SourceTest, RegionErrors) {
  std::string fa = write("g.fa", ">chr1\nACGTACGTAC\n");
  EXPECT_THROW(read_all({.input = fa, .regions = {"chrZ:1-5"}}), InputError);
  EXPECT_THROW(read_all({.input = fa, .regions = {"chr1:5-50"}}), InputError);
  EXPECT_THROW(read_all({.input = fa, .regions = {write("b.bed", "chr1\t5\t2\n")}}), FormatError);
  EXPECT_THROW(read_all({.input = fa, .regions = {write("c.bed", "chr1\t5\t20\n")}}), InputError);
  EXPECT_THROW(read_all({.input = test::fixture("tiny.fq"), .regions = {"chr1"}}), UsageError);
}

TEST_F(SourceTest, SummitCentresNarrowPeakWindows) {
  std::string fa = write("g.fa", ">chr1\n" + std::string(400, 'A') + "\n>chr2\n" + std::string(60, 'C') + "\n");
  auto got = read_all({.input = fa, .regions = {test::fixture("tiny.narrowPeak")}, .window = 10});
  auto regions = read_regions(io::IndexedFasta(fa), {test::fixture("tiny.narrowPeak")}, 10);
  EXPECT_EQ(regions[0].region.start, 245);  // summit 250
  EXPECT_EQ(regions[1].region.start, 20);   // no summit: midpoint 25
  EXPECT_EQ(got[0].id, "p1");
}

// The streaming reader gives what read_regions gives, in the same order, from BED files and region strings mixed,
// and its errors name the same file and line; a genome region source checks every interval before the first read.
TEST_F(SourceTest, RegionReaderStreamsWhatReadRegionsReads) {
  std::string fa = write("g.fa", ">chr1\n" + std::string(400, 'A') + "\n>chr2\n" + std::string(60, 'C') + "\n");
  io::IndexedFasta genome(fa);
  std::vector<std::string> specs = {test::fixture("tiny.narrowPeak"), "chr1:5-20", write("r.bed", "chr2\t3\t9\tx\t0\t-\n")};
  auto all = read_regions(genome, specs, 10);
  RegionReader reader(genome, specs, 10);
  GenomeInterval gi;
  size_t i = 0;
  while (reader.next(gi)) {
    ASSERT_LT(i, all.size());
    EXPECT_EQ(gi.id, all[i].id);
    EXPECT_EQ(gi.region, all[i].region);
    EXPECT_EQ(gi.source, all[i].source);
    EXPECT_EQ(gi.strand, all[i].strand);
    ++i;
  }
  EXPECT_EQ(i, 4u);
  std::string bad = write("bad.bed", "chr1\t1\t5\nchr9\t1\t5\n");
  EXPECT_THROW(read_all({.input = fa, .regions = {bad}, .window = 10}), InputError);
  try {
    open_sequences({.input = fa, .regions = {bad}, .window = 10});
    FAIL() << "the source opened without checking its intervals";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.bed:2: unknown contig 'chr9'"), std::string::npos) << e.what();
  }
}

}  // namespace seqdl::data
