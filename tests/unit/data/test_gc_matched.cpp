// GC-matched genomic negatives, checked against the genome the test wrote itself: GC counted here with
// integer arithmetic, overlaps found by comparing every pair of intervals.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/random_bases.hpp"
#include "common/test_support.hpp"
#include "data/gc_matched.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

constexpr int kBins = 20;

// Sequence with each base G or C with probability `gc` (in steps of 1/10).
std::string with_gc(size_t n, int gc_tenths, uint64_t seed) {
  std::string alphabet =
      std::string(static_cast<size_t>(gc_tenths), 'G') + std::string(static_cast<size_t>(10 - gc_tenths), 'A');
  std::string s = test::random_bases(n, seed, alphabet);
  std::string mix = test::random_bases(n, seed + 1000, "XY");  // G/C and A/T each split evenly
  for (size_t i = 0; i < n; ++i) {
    if (mix[i] == 'Y') s[i] = s[i] == 'G' ? 'C' : 'T';
  }
  return s;
}

// GC bin by exact counting: floor(bins * gc / acgt), the top bin closed. acgt > 0 here (no N in windows).
int gc_bin(std::string_view s) {
  int64_t gc = 0, acgt = 0;
  for (char c : s) {
    gc += c == 'G' || c == 'C';
    acgt += c == 'A' || c == 'C' || c == 'G' || c == 'T';
  }
  return static_cast<int>(std::min<int64_t>(kBins - 1, gc * kBins / acgt));
}

bool overlap(const io::Region& a, const io::Region& b) {
  return a.chrom == b.chrom && a.start < b.end && b.start < a.end;
}

class GcMatched : public test::TempDir {
 protected:
  // Writes the contigs as a FASTA with 60-base lines and opens it.
  io::IndexedFasta& genome(std::map<std::string, std::string> contigs) {
    contigs_ = std::move(contigs);
    std::string text;
    for (const auto& [name, seq] : contigs_) {
      text += ">" + name + "\n";
      for (size_t i = 0; i < seq.size(); i += 60) text += seq.substr(i, 60) + "\n";
    }
    fasta_.emplace(write("g.fa", text));
    return *fasta_;
  }
  std::string bases(const io::Region& r) const {
    return contigs_.at(r.chrom).substr(static_cast<size_t>(r.start), static_cast<size_t>(r.length()));
  }

  std::map<std::string, std::string> contigs_;
  std::optional<io::IndexedFasta> fasta_;
};

}  // namespace

TEST_F(GcMatched, NegativesFollowThePositivesGcAndAvoidThemAndEachOther) {
  std::string rich = with_gc(20000, 7, 1);
  rich.replace(1000, 300, std::string(300, 'N'));  // an assembly gap no negative may use
  io::IndexedFasta& g = genome({{"chrA", with_gc(20000, 3, 2)}, {"chrB", with_gc(20000, 5, 3)}, {"chrC", rich}});
  const int64_t w = 50;
  std::vector<io::Region> positives;
  for (int64_t s = 100; s < 2900; s += 400) {
    positives.push_back({"chrA", s, s + w, ""});
    positives.push_back({"chrC", s + 40, s + 40 + w, ""});
  }
  auto in_gap = [](const io::Region& r) { return r.chrom == "chrC" && r.start >= 1000 && r.start < 1300; };
  positives.erase(std::remove_if(positives.begin(), positives.end(), in_gap), positives.end());
  std::vector<io::Region> exclude = positives;
  exclude.push_back({"chrB", 0, 1500, ""});  // e.g. a peak wider than its window
  Rng rng(42);
  GcMatchResult res = gc_matched_negatives(g, positives, exclude, {.window = w, .ratio = 2, .bins = kBins}, rng);

  ASSERT_EQ(res.negatives.size(), 2 * positives.size());
  std::vector<int> wanted(kBins, 0), got(kBins, 0);
  for (const auto& p : positives) wanted[static_cast<size_t>(gc_bin(bases(p)))] += 2;
  double gc_pos = 0, gc_neg = 0;
  for (const auto& p : positives) gc_pos += gc_bin(bases(p));
  for (size_t i = 0; i < res.negatives.size(); ++i) {
    const io::Region& n = res.negatives[i];
    ASSERT_EQ(n.length(), w);
    ASSERT_GE(n.start, 0);
    ASSERT_LE(n.end, static_cast<int64_t>(contigs_.at(n.chrom).size()));
    std::string s = bases(n);
    EXPECT_EQ(s.find('N'), std::string::npos) << n.to_string();  // max_n_fraction 1% of 50 bases: none
    got[static_cast<size_t>(gc_bin(s))] += 1;
    gc_neg += gc_bin(s);
    for (const auto& x : exclude) EXPECT_FALSE(overlap(n, x)) << n.to_string() << " overlaps " << x.to_string();
    for (size_t j = 0; j < i; ++j) {
      EXPECT_FALSE(overlap(n, res.negatives[j])) << n.to_string() << " overlaps " << res.negatives[j].to_string();
    }
  }
  if (res.from_neighbouring_bins == 0) {
    EXPECT_EQ(got, wanted);  // every bin matched exactly
  } else {
    // Borrowed negatives come from the nearest bins: the mean bin moves by less than one.
    double n_pos = static_cast<double>(positives.size()), n_neg = static_cast<double>(res.negatives.size());
    EXPECT_NEAR(gc_neg / n_neg, gc_pos / n_pos, 1.0);
  }
  EXPECT_EQ(res.from_neighbouring_bins, 0u);  // this genome has plenty of windows at every positive's GC
}

TEST_F(GcMatched, NegativesNeverOverlapEachOtherWhereSpaceIsTight) {
  // 20 negatives of 50 bases in the 2,300 free bases of one contig: drawn independently, some would overlap.
  io::IndexedFasta& g = genome({{"a", with_gc(2500, 5, 4)}});
  std::vector<io::Region> positives = {
      {"a", 0, 50, ""}, {"a", 600, 650, ""}, {"a", 1200, 1250, ""}, {"a", 1800, 1850, ""}};
  for (uint64_t seed : {1, 2, 3}) {
    Rng rng(seed);
    GcMatchResult res = gc_matched_negatives(g, positives, positives, {.window = 50, .ratio = 5}, rng);
    ASSERT_EQ(res.negatives.size(), 20u);
    for (size_t i = 0; i < res.negatives.size(); ++i) {
      for (const auto& p : positives) EXPECT_FALSE(overlap(res.negatives[i], p)) << res.negatives[i].to_string();
      for (size_t j = 0; j < i; ++j) {
        EXPECT_FALSE(overlap(res.negatives[i], res.negatives[j]))
            << "seed " << seed << ": " << res.negatives[i].to_string() << " overlaps " << res.negatives[j].to_string();
      }
    }
  }
}

TEST_F(GcMatched, DeterministicPerSeed) {
  io::IndexedFasta& g = genome({{"c1", with_gc(5000, 4, 5)}, {"c2", with_gc(5000, 6, 6)}});
  std::vector<io::Region> positives = {{"c1", 100, 140, ""}, {"c2", 900, 940, ""}, {"c2", 3000, 3040, ""}};
  GcMatchOptions o{.window = 40, .ratio = 3};
  auto draw = [&](uint64_t seed) {
    Rng rng(seed);
    return gc_matched_negatives(g, positives, positives, o, rng).negatives;
  };
  EXPECT_EQ(draw(1), draw(1));
  EXPECT_NE(draw(1), draw(2));
  EXPECT_EQ(draw(1).size(), 9u);
}

TEST_F(GcMatched, BorrowsFromTheNearestBinsWhenABinIsEmpty) {
  // Positives on an all-GC contig that is excluded: the rest of the genome has no window in the top bin.
  io::IndexedFasta& g = genome({{"gc", std::string(200, 'G')}, {"mixed", with_gc(6000, 5, 7)}});
  std::vector<io::Region> positives = {{"gc", 0, 30, ""}, {"gc", 100, 130, ""}};
  Rng rng(3);
  GcMatchResult res = gc_matched_negatives(g, positives, {{"gc", 0, 200, ""}}, {.window = 30, .ratio = 2}, rng);
  ASSERT_EQ(res.negatives.size(), 4u);
  EXPECT_EQ(res.from_neighbouring_bins, 4u);
  for (const auto& n : res.negatives) {
    EXPECT_EQ(n.chrom, "mixed");
    EXPECT_GE(gc_bin(bases(n)), 13) << n.to_string();  // far above the contig's typical 50% (bin 10)
  }
}

TEST_F(GcMatched, ErrorsWhenNegativesCannotBeFound) {
  io::IndexedFasta& g =
      genome({{"short", with_gc(40, 5, 8)}, {"small", with_gc(200, 5, 9)}, {"gap", std::string(500, 'N')}});
  Rng rng(1);
  // No contig holds a 600-base window.
  EXPECT_THROW(gc_matched_negatives(g, {{"small", 0, 600, ""}}, {}, {.window = 600}, rng), InputError);
  // 'small' has room for at most three 50-base windows beside the positive; 'gap' is all N.
  std::vector<io::Region> positives = {{"small", 0, 50, ""}};
  try {
    gc_matched_negatives(g, positives, positives, {.window = 50, .ratio = 10, .attempts_per_negative = 50}, rng);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("of 10 negative windows"), std::string::npos) << e.what();
  }
  // No positives, no negatives.
  EXPECT_TRUE(gc_matched_negatives(g, {}, {}, {.window = 50}, rng).negatives.empty());
}

}  // namespace seqdl::data
