// Coverage sources on hand-written files with hand-computed counts: BAM 5' ends (clips, deletions, filters,
// pairs), BED reads, BEDPE and 10x fragments with Tn5 shifts, bedGraph; regions; every rejected input; and
// the track writers read back.
#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/coverage_source.hpp"
#include "io/coverage_writer.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

const std::vector<Contig> kGenome = {{"c1", 100}, {"c2", 50}};

class CoverageSourceTest : public test::TempDir {
 protected:
  CoverageStore count(const std::string& path, CoverageOptions o = {}) {
    o.inputs = {path};
    summary = {};
    return count_coverage(o, kGenome, summary);
  }
  CoverageSummary summary;
};

// Non-zero bases of one channel as "pos:value" pairs, for compact expectations.
std::vector<std::pair<int64_t, float>> nonzero(const CoverageStore& s, const std::string& chrom, int strand) {
  int c = s.contig_index(chrom);
  std::vector<std::pair<int64_t, float>> out;
  for (const auto& r : s.runs(static_cast<size_t>(c), strand)) {
    for (uint32_t p = r.start; p < r.end; ++p) out.emplace_back(p, r.value);
  }
  return out;
}
using P = std::vector<std::pair<int64_t, float>>;

const char* kSamHeader = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:100\n@SQ\tSN:c2\tLN:50\n";

TEST_F(CoverageSourceTest, Bam5PrimeEndsHonourClipsAndDeletions) {
  std::string sam = std::string(kSamHeader) +
      // forward, soft clip first: 5' end is POS (the first aligned base) = 10 (0-based 9)
      "f1\t0\tc1\t10\t60\t2S8M\t*\t0\t0\tAAAAAAAAAA\t*\n"
      // reverse, 5M2D3M1I2M then 3S: reference span 5+2+3+2 = 12 from 0-based 19: end 31, 5' end 30
      "r1\t16\tc1\t20\t60\t5M2D3M1I2M3S\t*\t0\t0\tAAAAAAAAAAAAAA\t*\n"
      // reverse with a skip (N): 4M10N4M from 0-based 39 -> end 57, 5' end 56
      "r2\t16\tc1\t40\t60\t4M10N4M\t*\t0\t0\tAAAAAAAA\t*\n"
      // duplicate, secondary, supplementary, QC-fail, unmapped: not counted by default
      "d\t1024\tc1\t10\t60\t4M\t*\t0\t0\tAAAA\t*\n"
      "s\t256\tc1\t10\t60\t4M\t*\t0\t0\tAAAA\t*\n"
      "p\t2048\tc1\t10\t60\t4M\t*\t0\t0\tAAAA\t*\n"
      "q\t512\tc1\t10\t60\t4M\t*\t0\t0\tAAAA\t*\n"
      "u\t4\tc1\t10\t0\t*\t*\t0\t0\tAAAA\t*\n"
      // low MAPQ: counted unless --min-mapq
      "m\t0\tc2\t5\t3\t4M\t*\t0\t0\tAAAA\t*\n"
      // a proper pair (99/147) and an improper pair (97/145)
      "pp\t99\tc2\t11\t60\t5M\t=\t21\t15\tAAAAA\t*\n"
      "ip\t97\tc2\t12\t60\t5M\t=\t22\t15\tAAAAA\t*\n"
      "pp\t147\tc2\t21\t60\t5M\t=\t11\t-15\tAAAAA\t*\n"
      "ip\t145\tc2\t22\t60\t5M\t=\t12\t-15\tAAAAA\t*\n";
  std::string path = write("r.sam", sam);
  CoverageStore s = count(path);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{9, 1}}));
  EXPECT_EQ(nonzero(s, "c1", 1), (P{{30, 1}, {56, 1}}));
  EXPECT_EQ(nonzero(s, "c2", 0), (P{{4, 1}, {10, 1}}));
  EXPECT_EQ(nonzero(s, "c2", 1), (P{{24, 1}}));
  EXPECT_EQ(summary.records, 13u);
  EXPECT_EQ(summary.filtered, 7u);

  CoverageOptions o;
  o.filter.min_mapq = 30;
  o.proper_pairs_only = false;
  o.shift = {4, -4};
  s = count(path, o);
  EXPECT_EQ(nonzero(s, "c2", 0), (P{{14, 1}, {15, 1}}));
  EXPECT_EQ(nonzero(s, "c2", 1), (P{{20, 1}, {21, 1}}));
}

TEST_F(CoverageSourceTest, BedReadsAndShiftsAndCombined) {
  std::string path = write("r.bed", "track name=x\nc1\t10\t20\tr\t0\t+\nc1\t10\t20\tr\t0\t-\nc1\t0\t5\tr\t0\t-\n"
                                    "c2\t48\t50\tr\t0\t+\n");
  CoverageOptions o;
  o.shift = {4, -5};
  CoverageStore s = count(path, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{14, 1}}));
  EXPECT_EQ(nonzero(s, "c1", 1), (P{{14, 1}}));  // 19 - 5; the read at 0-5 is shifted to -1 and dropped
  EXPECT_EQ(summary.off_contig_end, 2u);          // and c2's + read shifted to 52
  o.strands = StrandMode::combined;
  o.shift = {};
  s = count(path, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{4, 1}, {10, 1}, {19, 1}}));
}

TEST_F(CoverageSourceTest, FragmentsAndBedpeGiveTwoCutSites) {
  std::string bedpe3 = write("f.bedpe", "c1\t10\t30\nc1\t10\t30\nc2\t0\t20\n");
  CoverageOptions o;
  o.shift = {4, -4};
  CoverageStore s = count(bedpe3, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{14, 2}}));
  EXPECT_EQ(nonzero(s, "c1", 1), (P{{25, 2}}));  // end - 1 - 4
  EXPECT_EQ(nonzero(s, "c2", 0), (P{{4, 1}}));
  // BEDPE with mates: the fragment spans both; split pairs are skipped and counted.
  std::string bedpe6 = write("m.bedpe", "c1\t10\t15\tc1\t25\t30\tn\nc1\t10\t15\tc2\t25\t30\tn\n");
  s = count(bedpe6, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{14, 1}}));
  EXPECT_EQ(nonzero(s, "c1", 1), (P{{25, 1}}));
  EXPECT_EQ(summary.mate_pairs_split, 1u);
  // 10x fragments weighted by count (or not).
  std::string frag = write("x.frag", "c1\t10\t30\tAAAC-1\t3\nc1\t40\t50\tAAAG-1\t1\n");
  s = count(frag, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{14, 3}, {44, 1}}));
  o.fragment_counts = false;
  s = count(frag, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{14, 1}, {44, 1}}));
}

TEST_F(CoverageSourceTest, BedGraphTracksAsGiven) {
  std::string plus = write("p.bedGraph", "c1\t0\t3\t1.5\nc1\t5\t6\t2\n");
  std::string minus = write("m.bedGraph", "c1\t2\t4\t1\n");
  CoverageOptions o;
  o.inputs = {plus, minus};
  CoverageStore s = count_coverage(o, kGenome, summary);
  EXPECT_EQ(s.fetch("c1", 0, 7, 0), (std::vector<float>{1.5, 1.5, 1.5, 0, 0, 2, 0}));
  EXPECT_EQ(s.fetch("c1", 0, 7, 1), (std::vector<float>{0, 0, 1, 1, 0, 0, 0}));
  o.strands = StrandMode::combined;
  s = count_coverage(o, kGenome, summary);
  EXPECT_EQ(s.fetch("c1", 0, 7, 0), (std::vector<float>{1.5, 1.5, 2.5, 1, 0, 2, 0}));
  o.inputs = {plus};
  o.strands = StrandMode::both;
  EXPECT_THROW(count_coverage(o, kGenome, summary), UsageError);  // one unstranded track, two strands asked
}

TEST_F(CoverageSourceTest, RegionsKeepOnlyTheirCoverage) {
  std::string path = write("r.bed", "c1\t10\t20\tr\t0\t+\nc1\t30\t40\tr\t0\t+\nc2\t1\t2\tr\t0\t+\n");
  CoverageOptions o;
  o.regions = {Region{"c1", 25, 35, ""}};
  CoverageStore s = count(path, o);
  EXPECT_EQ(nonzero(s, "c1", 0), (P{{30, 1}}));
  EXPECT_TRUE(nonzero(s, "c2", 0).empty());
  EXPECT_EQ(summary.outside_regions, 2u);
}

TEST_F(CoverageSourceTest, MissingContigsAreCountedOrRejected) {
  std::string some = write("s.bed", "c1\t10\t20\tr\t0\t+\nchrUn\t1\t5\tr\t0\t+\nchrUn\t2\t5\tr\t0\t-\n");
  CoverageStore s = count(some);
  EXPECT_EQ(summary.missing_contigs.at("chrUn"), 2u);
  EXPECT_EQ(summary.counted, 1u);
  std::string none = write("n.bed", "chr1\t10\t20\tr\t0\t+\n");
  EXPECT_THROW(count(none), InputError);
}

TEST_F(CoverageSourceTest, RejectedInputs) {
  EXPECT_THROW(count(write("e.bed", "")), InputError);                          // empty
  EXPECT_THROW(count(write("h.sam", kSamHeader)), InputError);                  // header only
  EXPECT_THROW(count(write("x.bed", "c1\t90\t120\tr\t0\t+\n")), InputError);   // past the contig end
  EXPECT_THROW(count(write("y.bed", "c1\t10\t20\tr\t0\t.\n")), FormatError);   // no strand
  EXPECT_THROW(count(write("z.bedpe", "c1\t30\t20\n")), FormatError);          // start after end
  CoverageOptions combined;
  combined.strands = StrandMode::combined;
  EXPECT_THROW(count(write("w.bedGraph", "c1\t0\t5\tx\n"), combined), FormatError);  // not a number
  EXPECT_THROW(count(write("v.txt", "c1\t0\t5\n")), UsageError);               // unknown format
  // A BAM whose header gives a shared contig another length: another assembly.
  EXPECT_THROW(count(write("l.sam", "@SQ\tSN:c1\tLN:99\nf\t0\tc1\t1\t60\t4M\t*\t0\t0\tAAAA\t*\n")), InputError);
  // Regions need the BAM index.
  std::string bam = path("nobai.bam");
  test::run_command("samtools view -b -o '" + bam + "' '" +
                    write("i.sam", std::string(kSamHeader) + "f\t0\tc1\t1\t60\t4M\t*\t0\t0\tAAAA\t*\n") + "'");
  CoverageOptions o;
  o.regions = {Region{"c1", 0, 10, ""}};
  try {
    count(bam, o);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no index"), std::string::npos) << e.what();
  }
}

TEST(CoverageParsing, ShiftsFormatsAndPaths) {
  EXPECT_EQ(parse_shift("4,-4", "--shift").minus, -4);
  EXPECT_EQ(parse_shift("+4,-5", "--shift").plus, 4);
  EXPECT_EQ(parse_shift("3", "--shift").minus, 3);
  EXPECT_THROW(parse_shift("4;5", "--shift"), UsageError);
  EXPECT_EQ(format_from_name("x.tagAlign.gz"), CoverageFormat::bed);
  EXPECT_EQ(format_from_name("y.frag.gz"), CoverageFormat::fragments);
  EXPECT_EQ(format_from_name("atac_fragments.tsv.gz"), CoverageFormat::fragments);
  EXPECT_EQ(format_from_name("t.bigWig"), CoverageFormat::bigwig);
  EXPECT_EQ(format_from_name("t.bdg"), CoverageFormat::bedgraph);
  EXPECT_EQ(format_from_name("t.cram"), CoverageFormat::bam);
  EXPECT_EQ(strand_path("dir.x/out.bw", "plus"), "dir.x/out.plus.bw");
  EXPECT_EQ(strand_path("dir.x/out", "minus"), "dir.x/out.minus");
}

TEST_F(CoverageSourceTest, WrittenTracksReadBackTheSame) {
  CoverageCounter counter(kGenome, StrandMode::both);
  counter.add_point(0, 0, 3, 2);
  counter.add_point(0, 1, 99, 1);
  counter.add_interval(1, 0, 10, 20, 0.25f);
  CoverageStore store = counter.finish();
  for (const char* ext : {".bw", ".bedGraph"}) {
    auto files = write_coverage_tracks(store, path(std::string("t") + ext));
    ASSERT_EQ(files.size(), 2u);
    CoverageOptions o;
    o.inputs = files;
    CoverageStore back = count_coverage(o, kGenome, summary);
    for (size_t c = 0; c < kGenome.size(); ++c) {
      for (int s = 0; s < 2; ++s) {
        auto a = store.runs(c, s), b = back.runs(c, s);
        EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << ext << " " << c << " " << s;
      }
    }
  }
  EXPECT_EQ(test::run_command("cat '" + path("t.plus.bedGraph") + "'"), "c1\t3\t4\t2\nc2\t10\t20\t0.25\n");
}

}  // namespace
}  // namespace seqdl::io
