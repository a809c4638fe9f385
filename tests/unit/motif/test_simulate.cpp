// Simulated sets: sites are where the sampled bases are, counts and lengths are as asked, backgrounds have
// the asked composition, and the seed decides everything.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "common/test_support.hpp"
#include "encode/bases.hpp"
#include "motif/simulate.hpp"
#include "util/error.hpp"

namespace seqdl::motif {
namespace {

SimulateOptions options(int64_t n, int64_t length, uint64_t seed = 1) {
  SimulateOptions o;
  o.n = n;
  o.length = length;
  o.seed = seed;
  return o;
}

std::map<std::string, int> dinucleotides(const std::string& s) {
  std::map<std::string, int> counts;
  for (size_t i = 0; i + 1 < s.size(); ++i) ++counts[s.substr(i, 2)];
  return counts;
}

TEST(Simulate, DeterministicMotifSitesAreExactlyWhereTheBasesAre) {
  Motif m = from_consensus("M", "", "ACGGTCAT", 1.0);  // every sampled instance is ACGGTCAT itself
  SimulateOptions o = options(400, 100);
  o.instances = 2;
  SimulatedSet set = simulate_set({m}, {}, {}, o);
  ASSERT_EQ(set.ids.size(), 400u);
  size_t positives = 0;
  for (size_t i = 0; i < set.ids.size(); ++i) {
    ASSERT_EQ(set.sequences[i].size(), 100u);
    positives += set.label[i];
  }
  EXPECT_EQ(positives, 200u);
  ASSERT_EQ(set.sites.size(), 400u);  // 2 instances in each of the 200 positives
  std::map<size_t, int> per_sequence;
  int minus = 0;
  for (size_t k = 0; k < set.sites.size(); ++k) {
    const PlantedSite& s = set.sites[k];
    ASSERT_EQ(set.label[s.sequence], 1);
    std::string window = set.sequences[s.sequence].substr(static_cast<size_t>(s.start), 8);
    EXPECT_EQ(window, s.bases);
    if (s.strand == '-') encode::reverse_complement_in_place(window);
    EXPECT_EQ(window, "ACGGTCAT");
    minus += s.strand == '-';
    ++per_sequence[s.sequence];
    if (k > 0 && set.sites[k - 1].sequence == s.sequence) {  // ordered and not overlapping
      EXPECT_GE(s.start, set.sites[k - 1].start + 8);
    }
  }
  EXPECT_EQ(per_sequence.size(), 200u);
  for (auto [seq, count] : per_sequence) EXPECT_EQ(count, 2);
  EXPECT_GT(minus, 150);
  EXPECT_LT(minus, 250);
}

TEST(Simulate, SampledBasesFollowTheMotifProbabilities) {
  Motif m{"P", "", {{0.7, 0.1, 0.1, 0.1}, {0.25, 0.25, 0.25, 0.25}, {0.05, 0.05, 0.45, 0.45}}, std::nullopt};
  SimulateOptions o = options(4000, 20);
  o.positives_fraction = 1.0;
  SimulatedSet set = simulate_set({m}, {}, {}, o);
  ASSERT_EQ(set.sites.size(), 4000u);
  std::array<std::array<double, 4>, 3> freq{};
  for (const PlantedSite& s : set.sites) {
    std::string b = s.bases;
    if (s.strand == '-') encode::reverse_complement_in_place(b);
    for (size_t i = 0; i < 3; ++i) freq[i][std::string("ACGT").find(b[i])] += 1.0 / 4000;
  }
  for (size_t i = 0; i < 3; ++i) {
    for (int c = 0; c < 4; ++c) {
      double p = m.rows[i][c], sd = std::sqrt(p * (1 - p) / 4000);
      EXPECT_NEAR(freq[i][c], p, 4 * sd) << "position " << i << " base " << "ACGT"[c];
    }
  }
}

TEST(Simulate, GcControlledBackgrounds) {
  SimulateOptions o = options(500, 200);
  o.gc = 0.41;
  o.positives_fraction = 0;
  SimulatedSet set = simulate_set({from_consensus("M", "", "CACGTG")}, {}, {}, o);
  EXPECT_TRUE(set.sites.empty());
  double gc = 0;
  for (const std::string& s : set.sequences) gc += encode::gc_fraction(s) / 500;
  EXPECT_NEAR(gc, 0.41, 3 * std::sqrt(0.41 * 0.59 / 100000));
}

TEST(Simulate, ShuffledBackgroundsKeepDinucleotides) {
  std::vector<std::string> sources = {"ACGTTGCAAACCGGTTTACGATCGATCGGGAAATTTCCCACGTACGTAGCTAGCTTTAA",
                                      "GGGGCCCCAAAATTTTGGCCAATTGCGCATATGCGCATATTTAAACCCGGGTTTAAACCCGG"};
  SimulateOptions o = options(6, 60);
  o.positives_fraction = 0;
  SimulatedSet set = simulate_set({from_consensus("M", "", "CACGTG")}, {}, {}, o);
  SimulatedSet same = simulate_set({from_consensus("M", "", "CACGTG")}, {}, {}, o);
  EXPECT_EQ(set.sequences, same.sequences);
  o.length = static_cast<int64_t>(sources[0].size());
  // With the sources' own length (the first source) the background is exactly one shuffle.
  SimulatedSet shuffled = simulate_set({from_consensus("M", "", "CACGTG")}, {}, {sources[0]}, o);
  for (const std::string& s : shuffled.sequences) {
    EXPECT_EQ(dinucleotides(s), dinucleotides(sources[0]));
    EXPECT_NE(s, sources[0]);
  }
  // Longer than a source: tiled from several shuffles, still made of its letters.
  o.length = 150;
  SimulatedSet tiled = simulate_set({from_consensus("M", "", "CACGTG")}, {}, sources, o);
  for (const std::string& s : tiled.sequences) EXPECT_EQ(s.size(), 150u);
}

TEST(Simulate, MultilabelDecoysAndCentredPlacement) {
  Motif a = from_consensus("A", "", "AAAACCCC", 1.0), b = from_consensus("B", "", "GGGGTTTT", 1.0);
  Motif decoy = from_consensus("D", "", "TATATATA", 1.0);
  SimulateOptions o = options(1000, 200);
  o.multilabel = true;
  o.positives_fraction = 0.3;
  o.placement = Placement::centre;
  o.spread = 5;
  o.decoy_fraction = 0.5;
  SimulatedSet set = simulate_set({a, b}, {decoy}, {}, o);
  ASSERT_EQ(set.per_motif.size(), 1000u);
  size_t count_a = 0, count_b = 0, negatives = 0, decoys = 0;
  for (size_t i = 0; i < 1000; ++i) {
    count_a += set.per_motif[i][0];
    count_b += set.per_motif[i][1];
    EXPECT_EQ(set.label[i], set.per_motif[i][0] | set.per_motif[i][1]);
    negatives += set.label[i] == 0;
  }
  EXPECT_EQ(count_a, 300u);
  EXPECT_EQ(count_b, 300u);
  for (const PlantedSite& s : set.sites) {
    if (s.decoy) {
      ++decoys;
      EXPECT_EQ(set.label[s.sequence], 0);
    } else {
      EXPECT_EQ(set.per_motif[s.sequence][s.motif], 1);
    }
    // Centred: the site's centre within a few spreads of the middle (or pushed aside by another site).
    EXPECT_LT(std::abs(static_cast<double>(s.start) + 4 - 100), 30.0);
  }
  EXPECT_EQ(decoys, static_cast<size_t>(std::llround(negatives * 0.5)));
}

TEST(Simulate, SeedDecidesEverything) {
  Motif m = from_consensus("M", "", "CACGTG");
  SimulatedSet a = simulate_set({m}, {}, {}, options(50, 80, 11)), b = simulate_set({m}, {}, {}, options(50, 80, 11));
  SimulatedSet c = simulate_set({m}, {}, {}, options(50, 80, 12));
  EXPECT_EQ(a.sequences, b.sequences);
  EXPECT_EQ(a.label, b.label);
  EXPECT_NE(a.sequences, c.sequences);
}

TEST(Simulate, RejectsWhatCannotBeDone) {
  Motif m = from_consensus("M", "", "CACGTGCACGTG");
  auto rejects = [&](SimulateOptions o, const std::string& what) {
    try {
      simulate_set({m}, {}, {}, o);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  SimulateOptions o = options(10, 20);
  o.instances = 2;
  rejects(o, "--length 20 cannot hold 2 motif instances of up to 12 bp each");
  o = options(10, 10);
  rejects(o, "--length 10 cannot hold 1 motif instances");
  o = options(0, 100);
  rejects(o, "--n: expected an integer >= 1");
  o = options(10, 100);
  o.positives_fraction = 1.5;
  rejects(o, "--positives-fraction: expected a number in [0, 1], found 1.5");
  o = options(10, 100);
  o.gc = 1.0;
  rejects(o, "--gc: expected a number in (0, 1)");
}

}  // namespace
}  // namespace seqdl::motif
