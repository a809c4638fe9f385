// `seqdl motifs discover` stages on hand-made cases: seqlets on tracks with known sites, gapped k-mer strand
// symmetry, neighbours (NN-descent against the exhaustive search, thread-count independence), Leiden on two
// cliques, alignment of shifted and reverse-complemented copies, pattern merging, and the whole run on a
// small planted set.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/test_support.hpp"
#include "io/npy.hpp"
#include "motif/discover.hpp"
#include "motif/discover_leiden.hpp"
#include "motif/discover_neighbors.hpp"
#include "motif/discover_output.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

// Tracks of `count` seqlets of `width` positions: random bases with a small contribution, and `motif`
// (consensus bases) with contribution 1 per base at `at` (reverse-complemented where reverse[i]).
SeqletTracks planted_tracks(size_t count, int width, const std::string& motif, const std::vector<int>& at,
                            const std::vector<bool>& reverse, uint64_t seed) {
  SeqletTracks t;
  t.width = width;
  t.count = count;
  t.contribution.assign(count * t.stride(), 0);
  t.hypothetical.assign(count * t.stride(), 0);
  t.normalised.assign(count * t.stride(), 0);
  t.bases.assign(count * static_cast<size_t>(width), 0);
  t.total.assign(count, 0);
  Rng rng(seed);
  for (size_t i = 0; i < count; ++i) {
    std::vector<int> bases(static_cast<size_t>(width));
    std::vector<float> weight(static_cast<size_t>(width));
    for (int p = 0; p < width; ++p) {
      bases[static_cast<size_t>(p)] = static_cast<int>(rng.below(4));
      weight[static_cast<size_t>(p)] = 0.05f * static_cast<float>(rng.uniform());
    }
    for (size_t k = 0; k < motif.size(); ++k) {
      int b = static_cast<int>(std::string("ACGT").find(motif[k]));
      size_t p = static_cast<size_t>(at[i]) + (reverse[i] ? motif.size() - 1 - k : k);
      bases[p] = reverse[i] ? 3 - b : b;
      weight[p] = 1.0f;
    }
    for (int p = 0; p < width; ++p) {
      size_t k = i * t.stride() + static_cast<size_t>(p * 4 + bases[static_cast<size_t>(p)]);
      t.contribution[k] = t.hypothetical[k] = weight[static_cast<size_t>(p)];
      t.bases[i * static_cast<size_t>(width) + static_cast<size_t>(p)] = static_cast<uint8_t>(bases[static_cast<size_t>(p)]);
      t.total[i] += weight[static_cast<size_t>(p)];
    }
    for (size_t k = 0; k < t.stride(); ++k) {
      t.normalised[i * t.stride() + k] = static_cast<float>(t.contribution[i * t.stride() + k] / t.total[i]);
    }
  }
  return t;
}

}  // namespace

TEST(DiscoverSeqlets, GreedyWindowsDoNotOverlapAndKeepTheirSign) {
  // One row, 40 window starts: a strong positive block and a weaker negative block further on.
  std::vector<float> sums(40);
  for (size_t k = 0; k < sums.size(); ++k) sums[k] = k % 2 ? 0.01f : -0.01f;  // a null on both sides
  for (int k = 5; k < 12; ++k) sums[static_cast<size_t>(k)] = 10 - std::abs(k - 8);
  for (int k = 25; k < 30; ++k) sums[static_cast<size_t>(k)] = -5.0f - (k == 27);
  SeqletOptions o;
  o.window = 5;
  o.flank = 2;
  o.min_fraction = 0.0;
  o.max_fraction = 0.2;  // 12 of 40 pass the FDR; clamped to 8: |sum| >= 5.2, so 10, 9, 9, 8, 8, 7, 7 and -6
  SeqletCall call = call_seqlets_from_sums(sums, 1, 40, o);
  EXPECT_EQ(call.clamp, "raised to the maximum fraction");
  EXPECT_NEAR(call.positive_threshold, 5.2, 1e-6);
  ASSERT_EQ(call.seqlets.size(), 2u);
  EXPECT_EQ(call.seqlets[0].start, 8);  // window start k = 8 -> seqlet [8, 8 + 5 + 4)
  EXPECT_EQ(call.seqlets[0].end, 17);
  EXPECT_GT(call.seqlets[0].score, 0);
  EXPECT_EQ(call.seqlets[1].start, 27);
  EXPECT_LT(call.seqlets[1].score, 0);
}

TEST(DiscoverSeqlets, AllZeroSumsGiveNoSeqlet) {
  std::vector<float> sums(500, 0.0f);
  SeqletCall call = call_seqlets_from_sums(sums, 5, 100, SeqletOptions{});
  EXPECT_TRUE(call.seqlets.empty());
  EXPECT_EQ(call.passing, 0u);
}

TEST(DiscoverKmers, SeqletAndItsReverseComplementEmbedAlike) {
  EXPECT_EQ(gap_patterns(4, 8).size(), 35u);  // C(7, 3)
  EXPECT_EQ(gap_patterns(2, 3).size(), 2u);
  SeqletTracks t = planted_tracks(2, 20, "ACGGTTCA", {4, 8}, {false, true}, 3);
  // Make seqlet 1 the exact reverse complement of seqlet 0.
  reverse_complement_track(t.contribution_of(0), t.stride(), t.contribution.data() + t.stride());
  for (int p = 0; p < 20; ++p) t.bases[static_cast<size_t>(20 + p)] = static_cast<uint8_t>(3 - t.bases[static_cast<size_t>(19 - p)]);
  KmerOptions o;
  std::vector<float> e = gapped_kmer_embedding(t, o);
  double d = dot(e.data(), e.data() + o.dims, static_cast<size_t>(o.dims));
  EXPECT_NEAR(d, 1.0, 1e-5);
}

TEST(DiscoverNeighbors, NnDescentFindsTheExactNeighboursForAnyThreadCount) {
  // 3000 points in 12 tight groups on the unit sphere.
  const size_t n = 3000;
  const int dims = 16;
  Rng rng(7);
  std::vector<float> centres(12 * dims), v(n * dims);
  for (float& c : centres) c = static_cast<float>(rng.uniform() - 0.5);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (int d = 0; d < dims; ++d) {
      float x = centres[(i % 12) * dims + static_cast<size_t>(d)] + 0.2f * static_cast<float>(rng.uniform() - 0.5);
      v[i * dims + static_cast<size_t>(d)] = x;
      norm += x * x;
    }
    for (int d = 0; d < dims; ++d) v[i * dims + static_cast<size_t>(d)] /= static_cast<float>(std::sqrt(norm));
  }
  NeighborGraph exact = exact_neighbors(v, n, dims, 10, 2);
  NnDescentOptions o;
  o.k = 10;
  o.seed = 5;
  o.threads = 1;
  NeighborGraph one = nn_descent(v, n, dims, o);
  o.threads = 3;
  NeighborGraph three = nn_descent(v, n, dims, o);
  EXPECT_EQ(one.index, three.index);
  EXPECT_EQ(one.similarity, three.similarity);
  size_t found = 0;
  for (size_t i = 0; i < n; ++i) {
    std::set<uint32_t> truth(exact.index.begin() + static_cast<std::ptrdiff_t>(i * 10),
                             exact.index.begin() + static_cast<std::ptrdiff_t>(i * 10 + 10));
    for (size_t j = 0; j < 10; ++j) found += truth.count(one.index[i * 10 + j]);
  }
  EXPECT_GT(static_cast<double>(found) / (n * 10.0), 0.9);
}

TEST(DiscoverLeiden, TwoCliquesJoinedByOneEdge) {
  std::vector<Edge> edges;
  for (uint32_t a = 0; a < 12; ++a) {
    for (uint32_t b = a + 1; b < 12; ++b) {
      if ((a < 6) == (b < 6)) edges.push_back({a, b, 1.0});
    }
  }
  edges.push_back({5, 6, 0.1});
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  Clustering c = leiden(12, edges, 4, 1);
  EXPECT_EQ(c.clusters, 2);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(c.membership[static_cast<size_t>(i)], i < 6 ? 0 : 1);
  EXPECT_GT(c.modularity, 0.4);
  EXPECT_EQ(leiden(12, {}, 3, 1).clusters, 12);
}

TEST(DiscoverPatterns, AlignmentRecoversShiftsAndStrands) {
  const std::string motif = "TTGACGCAAT";
  std::vector<int> at = {8, 5, 11, 8, 6, 10};
  std::vector<bool> rev = {false, true, false, true, false, true};
  SeqletTracks t = planted_tracks(6, 31, motif, at, rev, 11);
  std::vector<Member> m = align_to_running_sum(t, {0, 1, 2, 3, 4, 5}, 0.5);
  ASSERT_EQ(m.size(), 6u);
  // Every member's motif lands on the same pattern positions: motif start on the placed seqlet + offset.
  std::set<int> motif_starts;
  for (const Member& x : m) {
    EXPECT_EQ(x.reverse, rev[x.seqlet] != rev[m[0].seqlet]) << x.seqlet;
    // On the placed seqlet the motif (in either orientation) starts at `at`, or mirrored when reversed.
    int on_placed = x.reverse ? 31 - at[x.seqlet] - static_cast<int>(motif.size()) : at[x.seqlet];
    motif_starts.insert(x.offset + on_placed);
  }
  EXPECT_EQ(motif_starts.size(), 1u);
  PatternOptions po;
  Pattern p = build_pattern(t, m, po);
  Motif pwm = pattern_motif(p, "p", "");
  // Six seqlets are too few for trimming (random flanks of six bases carry information): the motif is in there.
  std::string c = consensus(pwm), rc = consensus(reverse_complement(pwm));
  EXPECT_TRUE(c.find(motif) != std::string::npos || rc.find(motif) != std::string::npos) << c;
  EXPECT_EQ(p.members.size(), 6u);
}

TEST(DiscoverPatterns, AReverseComplementedCopyMergesBackIntoOnePattern) {
  SeqletTracks t = planted_tracks(40, 31, "CCGAATTGCA", std::vector<int>(40, 10), std::vector<bool>(40, false), 13);
  std::vector<uint32_t> first(20), second(20);
  for (uint32_t i = 0; i < 20; ++i) {
    first[i] = i;
    second[i] = 20 + i;
  }
  RefineOptions o;
  o.min_seqlets = 5;
  Pattern a = build_pattern(t, align_to_running_sum(t, first, 0.7), o.pattern);
  Pattern b = build_pattern(t, align_to_running_sum(t, second, 0.7), o.pattern);
  // Flip b: its members reverse-complemented on the reversed pattern.
  Placement self{1.0, 0, true};
  Pattern flipped = build_pattern(t, members_on(b, self, t.width), o.pattern);
  EXPECT_GT(pattern_similarity(a, flipped, 0.7).similarity, 0.8);
  EXPECT_TRUE(pattern_similarity(a, flipped, 0.7).reverse);
  std::vector<Pattern> merged = merge_patterns(t, {a, flipped}, o);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].members.size(), 40u);
  EXPECT_EQ(consensus(pattern_motif(merged[0], "m", "")), consensus(pattern_motif(a, "a", "")));
}

}  // namespace seqdl::motif

namespace seqdl::motif {

TEST(DiscoverOutput, SitesAndGenomeCoordinates) {
  DiscoveryResult r;
  r.length = 100;
  DiscoveredPattern d;
  d.pattern.width = 8;
  r.patterns.push_back(d);
  // A 31-position seqlet at 40; pattern position 0 on the placed seqlet's position 12 (offset -12).
  SeqletResult s{{0, 40, 71, 2.5f}, 0, {0, -12, false, 0.5}};
  Site fwd = seqlet_site(s, r);
  EXPECT_EQ(fwd.start, 52);
  EXPECT_EQ(fwd.end, 60);
  EXPECT_EQ(fwd.strand, '+');
  s.placement.reverse = true;  // placed reverse-complemented: positions 12..19 of the RC are 11..18 forward
  Site rev = seqlet_site(s, r);
  EXPECT_EQ(rev.start, 40 + 31 - 20);
  EXPECT_EQ(rev.end, 40 + 31 - 12);
  EXPECT_EQ(rev.strand, '-');
  s.placement.offset = 27;  // the pattern hangs off the seqlet's start: clipped
  s.placement.reverse = false;
  EXPECT_EQ(seqlet_site(s, r).start, 40);
  EXPECT_EQ(seqlet_site(s, r).end, 40);
  s.placement.offset = -28;
  EXPECT_EQ(seqlet_site(s, r).start, 68);
  EXPECT_EQ(seqlet_site(s, r).end, 71);
  s.pattern = -1;
  EXPECT_EQ(seqlet_site(s, r).strand, '.');

  int64_t a = 0, b = 0;
  char strand = '.';
  RowCoordinate plus{"r", "chr3", 1000, '+'}, minus{"r", "chr3", 1000, '-'}, none{"r", "", 0, '+'};
  ASSERT_TRUE(to_genome(plus, 100, 52, 60, '-', a, b, strand));
  EXPECT_EQ(a, 1052);
  EXPECT_EQ(b, 1060);
  EXPECT_EQ(strand, '-');
  ASSERT_TRUE(to_genome(minus, 100, 52, 60, '-', a, b, strand));  // row = reverse complement of chr3:1000-1100
  EXPECT_EQ(a, 1040);
  EXPECT_EQ(b, 1048);
  EXPECT_EQ(strand, '+');
  EXPECT_FALSE(to_genome(none, 100, 52, 60, '+', a, b, strand));
}

class DiscoverCoordinates : public test::TempDir {};

TEST_F(DiscoverCoordinates, BedAndIdLines) {
  std::string p = write("rows.txt",
                        "chr1:1,001-1,200\nseq7\nchr2\t500\t700\tpeak1\t0\t-\nchrX\t10\t30\n{HLA}:x\n");
  std::vector<RowCoordinate> c = read_row_coordinates(p);
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].chrom, "chr1");
  EXPECT_EQ(c[0].start, 1000);
  EXPECT_EQ(c[0].name, "chr1:1,001-1,200");
  EXPECT_EQ(c[1].chrom, "");
  EXPECT_EQ(c[1].name, "seq7");
  EXPECT_EQ(c[2].chrom, "chr2");
  EXPECT_EQ(c[2].start, 500);
  EXPECT_EQ(c[2].strand, '-');
  EXPECT_EQ(c[2].name, "peak1");
  EXPECT_EQ(c[3].name, "chrX:11-30");
  EXPECT_EQ(c[4].chrom, "");
  std::string bad = write("bad.bed", "chr1\t500\t400\n");
  EXPECT_THROW(read_row_coordinates(bad), FormatError);
}

}  // namespace seqdl::motif
