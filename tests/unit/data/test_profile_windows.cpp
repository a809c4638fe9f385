// Profile windows on a small written genome: geometry, skips (contig ends, exclusion, missing contigs),
// summit errors, chromosome splits; GC-matched background (no overlap, split chromosomes, GC, determinism per
// seed and epoch); examples fetched with a jitter margin and cut; reverse complement on hand-computed cases.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <set>

#include "common/test_support.hpp"
#include "data/profile_background.hpp"
#include "data/profile_examples.hpp"
#include "data/profile_windows.hpp"
#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

// c1: 6,000 bp in 500-bp blocks alternating AT-rich (GC 0.2) and GC-rich (GC 0.7); c2, c3: GC 0.45.
std::string random_bases(std::mt19937_64& gen, size_t n, double gc) {
  std::string s(n, 'A');
  std::uniform_real_distribution<double> u(0, 1);
  for (auto& c : s) c = u(gen) < gc ? (u(gen) < 0.5 ? 'G' : 'C') : (u(gen) < 0.5 ? 'A' : 'T');
  return s;
}

class ProfileTest : public test::TempDir {
 protected:
  void SetUp() override {
    TempDir::SetUp();
    std::mt19937_64 gen(3);
    for (int b = 0; b < 12; ++b) c1 += random_bases(gen, 500, b % 2 ? 0.7 : 0.2);
    std::string fa =
        ">c1\n" + c1 + "\n>c2\n" + random_bases(gen, 4000, 0.45) + "\n>c3\n" + random_bases(gen, 3000, 0.45) + "\n";
    genome = std::make_unique<io::IndexedFasta>(write("g.fa", fa));
    o.input_length = 200;
    o.output_length = 100;
    o.max_jitter = 10;
    o.valid_chroms = {"c2"};
    o.test_chroms = {"c3"};
  }
  std::string c1;
  std::unique_ptr<io::IndexedFasta> genome;
  ProfileWindowOptions o;
};

TEST_F(ProfileTest, PeakWindowsGeometrySkipsAndSplits) {
  std::string peaks = write("p.narrowPeak",
                            "c1\t700\t900\tpk1\t0\t.\t1\t1\t1\t50\n"    // summit 750: kept
                            "c1\t0\t200\tpk2\t0\t.\t1\t1\t1\t20\n"      // summit 20: runs off the start
                            "c1\t5900\t6000\tpk3\t0\t.\t1\t1\t1\t90\n"  // summit 5990: runs off the end
                            "c1\t3000\t3100\tpk4\t0\t.\t1\t1\t1\t50\n"  // overlaps the exclusion
                            "cX\t100\t300\tpk5\t0\t.\t1\t1\t1\t50\n"    // contig missing
                            "c2\t1000\t1200\tpk6\t0\t.\t1\t1\t1\t-1\n"  // no summit: midpoint 1100
                            "c3\t500\t700\t.\t0\t.\t1\t1\t1\t10\n");    // unnamed: id c3:511
  std::vector<io::Region> exclusion = {{"c1", 3100, 3120, ""}};
  PeakWindows p = read_peak_windows(*genome, peaks, exclusion, o);
  ASSERT_EQ(p.windows.size(), 3u);
  EXPECT_EQ(p.peaks, 7u);
  EXPECT_EQ(p.off_contig_end, 2u);
  EXPECT_EQ(p.excluded, 1u);
  EXPECT_EQ(p.missing_contig, 1u);
  EXPECT_EQ(p.without_summit, 1u);
  const auto& w = p.windows[0];
  EXPECT_EQ(w.id, "pk1");
  EXPECT_EQ(w.centre, 750);
  EXPECT_EQ(w.input(o), (io::Region{"c1", 650, 850, "pk1"}));
  EXPECT_EQ(w.output(o), (io::Region{"c1", 700, 800, "pk1"}));
  EXPECT_EQ(w.input(o, -3).start, 647);
  EXPECT_EQ(w.fetch_span(o).start, 640);
  EXPECT_EQ(w.split, ProfileSplit::train);
  EXPECT_EQ(p.windows[1].centre, 1100);
  EXPECT_EQ(p.windows[1].split, ProfileSplit::valid);
  EXPECT_EQ(p.windows[2].id, "c3:511");
  EXPECT_EQ(p.windows[2].split, ProfileSplit::test);
  EXPECT_EQ(p.count(ProfileSplit::train), 1u);
}

TEST_F(ProfileTest, SummitsBedAndRejectedPeakFiles) {
  PeakWindows p = read_peak_windows(*genome, write("s.bed", "c1\t750\t751\tx\t3\nc2\t1000\t1200\ty\t1\n"), {}, o);
  ASSERT_EQ(p.windows.size(), 2u);
  EXPECT_EQ(p.windows[0].centre, 750);
  EXPECT_EQ(p.windows[1].centre, 1100);
  std::string bad =
      write("bad.narrowPeak", "c1\t700\t900\tpk1\t0\t.\t1\t1\t1\t50\nc1\t700\t800\tpk2\t0\t.\t1\t1\t1\t150\n");
  try {
    read_peak_windows(*genome, bad, {}, o);
    FAIL() << "expected an error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.narrowPeak:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_peak_windows(*genome, write("e.bed", ""), {}, o), InputError);
  EXPECT_THROW(read_peak_windows(*genome, write("off.bed", "c1\t5\t6\n"), {}, o), InputError);  // none fits
  ProfileWindowOptions bad_split = o;
  bad_split.test_chroms = {"c2"};
  EXPECT_THROW(check_profile_options(*genome, bad_split), UsageError);
  bad_split.test_chroms = {"chrZ"};
  EXPECT_THROW(check_profile_options(*genome, bad_split), UsageError);
  bad_split = o;
  bad_split.output_length = 300;
  EXPECT_THROW(check_profile_options(*genome, bad_split), UsageError);
}

TEST_F(ProfileTest, BackgroundAvoidsPeaksMatchesGcAndIsDeterministic) {
  // One peak in each of c1's GC-rich blocks (500-1000, 1500-2000, ...), leaving room for background there.
  std::string text;
  for (int b = 1; b < 12; b += 2) {
    text += fmt::format("c1\t{}\t{}\tp{}\t1\n", b * 500 + 150, b * 500 + 151, b);
  }
  text += "c2\t2000\t2001\tv\t1\n";
  std::vector<io::Region> exclusion = {{"c1", 0, 400, ""}};
  PeakWindows peaks = read_peak_windows(*genome, write("s.bed", text), exclusion, o);
  BackgroundOptions bo;
  bo.ratio = 1.0;
  ProfileBackground bg(*genome, peaks, exclusion, o, bo);
  auto a = bg.for_epoch(5, 0, ProfileSplit::train);
  ASSERT_EQ(a.size(), peaks.count(ProfileSplit::train));
  double gc_peaks = 0, gc_bg = 0;
  for (const auto& w : peaks.windows) {
    if (w.split == ProfileSplit::train)
      gc_peaks += encode::gc_fraction(genome->fetch("c1", w.fetch_span(o).start, w.fetch_span(o).end));
  }
  for (const auto& w : a) {
    EXPECT_EQ(w.kind, WindowKind::background);
    EXPECT_EQ(w.chrom, "c1");  // the train split's only chromosome
    io::Region span = w.fetch_span(o);
    EXPECT_GE(span.start, 0);
    EXPECT_LE(span.end, genome->length("c1"));
    for (const auto& r : peaks.avoid) {
      EXPECT_FALSE(r.chrom == span.chrom && r.start < span.end && span.start < r.end)
          << span.to_string() << " " << r.to_string();
    }
    EXPECT_GE(span.start, 400);  // the exclusion
    gc_bg += encode::gc_fraction(genome->fetch(span.chrom, span.start, span.end));
  }
  gc_peaks /= static_cast<double>(a.size());
  gc_bg /= static_cast<double>(a.size());
  EXPECT_NEAR(gc_bg, gc_peaks, 0.05);  // the genome's c1 averages 0.45
  EXPECT_GT(gc_bg, 0.55);
  auto again = bg.for_epoch(5, 0, ProfileSplit::train);
  auto next = bg.for_epoch(5, 1, ProfileSplit::train);
  auto other_seed = bg.for_epoch(6, 0, ProfileSplit::train);
  auto centres = [](const std::vector<ProfileWindow>& v) {
    std::vector<int64_t> c;
    for (const auto& w : v) c.push_back(w.centre);
    return c;
  };
  EXPECT_EQ(centres(a), centres(again));
  EXPECT_NE(centres(a), centres(next));
  EXPECT_NE(centres(a), centres(other_seed));
  auto valid = bg.for_epoch(5, 0, ProfileSplit::valid);
  ASSERT_EQ(valid.size(), 1u);
  EXPECT_EQ(valid[0].chrom, "c2");
  EXPECT_EQ(valid[0].split, ProfileSplit::valid);
  EXPECT_TRUE(bg.for_epoch(5, 0, ProfileSplit::test).empty());  // no test peaks: no background
}

io::CoverageStore ramp_store(const io::IndexedFasta& genome, io::StrandMode mode) {
  io::CoverageCounter counter(genome.contigs(), mode);
  for (uint32_t p = 0; p < 6000; ++p) {
    counter.add_point(0, 0, p, static_cast<float>(p % 97 + 1));
    counter.add_point(0, 1, p, static_cast<float>(p % 13 + 100));
  }
  return counter.finish();
}

TEST_F(ProfileTest, CutAtAnOffsetEqualsAShiftedWindow) {
  io::CoverageStore counts = ramp_store(*genome, io::StrandMode::both);
  io::CoverageStore control = ramp_store(*genome, io::StrandMode::combined);
  ProfileFetcher fetcher(*genome, counts, &control, o);
  ProfileWindow w{"c1", 1000, "w", WindowKind::peak, ProfileSplit::train};
  ProfileExample span = fetcher.fetch(w);
  EXPECT_EQ(span.margin, 10);
  EXPECT_EQ(span.bases.size(), 220u);
  EXPECT_EQ(span.counts.size(), 2u * 120u);
  for (int64_t d : {-10, -3, 0, 7, 10}) {
    ProfileExample e = cut(span, d);
    EXPECT_EQ(e.margin, 0);
    io::Region in = w.input(o, d), out = w.output(o, d);
    EXPECT_EQ(e.bases, c1.substr(static_cast<size_t>(in.start), 200));
    ASSERT_EQ(e.counts.size(), 200u);
    ASSERT_EQ(e.control.size(), 100u);
    for (int64_t i = 0; i < 100; ++i) {
      int64_t p = out.start + i;
      EXPECT_EQ(e.counts[i], static_cast<float>(p % 97 + 1));
      EXPECT_EQ(e.counts[100 + i], static_cast<float>(p % 13 + 100));
      EXPECT_EQ(e.control[i], static_cast<float>(p % 97 + 1 + p % 13 + 100));
    }
  }
  EXPECT_THROW(cut(span, 11), UsageError);
}

TEST(ProfileAugment, ReverseComplementSwapsStrandsAndFlips) {
  ProfileExample e;
  e.bases = "AACGTN";
  e.strands = 2;
  e.counts = {1, 2, 3, 4, 5, 6};  // + : 1 2 3; - : 4 5 6
  e.control_strands = 1;
  e.control = {7, 8, 9};
  reverse_complement(e);
  EXPECT_EQ(e.bases, "NACGTT");
  EXPECT_EQ(e.counts, (std::vector<float>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(e.control, (std::vector<float>{9, 8, 7}));
  reverse_complement(e);
  EXPECT_EQ(e.counts, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(e.bases, "AACGTN");
}

TEST(ProfileAugment, JitterDrawsCoverTheRange) {
  Rng rng(1);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    int64_t d = draw_jitter(rng, 3);
    ASSERT_GE(d, -3);
    ASSERT_LE(d, 3);
    seen.insert(d);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(draw_jitter(rng, 0), 0);
}

}  // namespace
}  // namespace seqdl::data
