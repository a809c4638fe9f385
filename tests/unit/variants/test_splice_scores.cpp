// SpliceAI's delta scores with Pangolin's masking, on hand-made outputs, and the INFO entry's format.
#include <gtest/gtest.h>

#include <map>

#include "variants/splice_scores.hpp"

namespace seqdl::variants {
namespace {

// An SNV at genome position 100 in an 11-base window (centre index 5) whose outputs are all 11 positions
// (offset 0): output p is genome position 95 + p.
struct Snv {
  AlleleLayout layout = allele_layout(100, 1, 1, 11);
  std::vector<float> ref_acc = std::vector<float>(11, 0.0f), alt_acc = ref_acc, ref_don = ref_acc, alt_don = ref_acc;
  SpliceDeltas deltas(int64_t distance, const std::function<data::SiteClass(int64_t)>& annotated = {}) const {
    return splice_deltas({ref_acc.data(), alt_acc.data()}, {ref_don.data(), alt_don.data()}, 11, 0, layout, distance,
                         annotated);
  }
};

}  // namespace

TEST(SpliceDeltas, GainsAndLossesWithTheirGenomicOffsets) {
  Snv v;
  v.ref_don[4] = 0.9f;  // genome 99: a donor lost (0.9 -> 0.1)
  v.alt_don[4] = 0.1f;
  v.alt_acc[8] = 0.6f;  // genome 103: an acceptor gained
  v.ref_acc[2] = 0.3f;  // genome 97: an acceptor weakened
  v.alt_acc[2] = 0.1f;
  SpliceDeltas d = v.deltas(5);
  EXPECT_FLOAT_EQ(d.donor_loss, 0.8f);
  EXPECT_EQ(d.donor_loss_pos, -1);
  EXPECT_FLOAT_EQ(d.acceptor_gain, 0.6f);
  EXPECT_EQ(d.acceptor_gain_pos, 3);
  EXPECT_FLOAT_EQ(d.acceptor_loss, 0.2f);
  EXPECT_EQ(d.acceptor_loss_pos, -3);
  EXPECT_FLOAT_EQ(d.donor_gain, 0.0f);  // no donor rises: the largest change is 0, first in genome order (r = -5)
  EXPECT_EQ(d.donor_gain_pos, -5);
  // Within 2 bases the acceptor gain at +3 and the loss at -3 are out of reach.
  d = v.deltas(2);
  EXPECT_FLOAT_EQ(d.acceptor_gain, 0.0f);
  EXPECT_EQ(d.acceptor_gain_pos, -2);
  EXPECT_FLOAT_EQ(d.donor_loss, 0.8f);
}

TEST(SpliceDeltas, NotClippedAtZero) {
  Snv v;
  for (auto& x : v.ref_acc) x = 0.5f;
  for (auto& x : v.alt_acc) x = 0.4f;  // every position falls: the best "gain" is -0.1, as SpliceAI reports it
  v.alt_acc[7] = 0.45f;
  SpliceDeltas d = v.deltas(5);
  EXPECT_FLOAT_EQ(d.acceptor_gain, 0.45f - 0.5f);
  EXPECT_EQ(d.acceptor_gain_pos, 2);
  EXPECT_FLOAT_EQ(d.acceptor_loss, 0.5f - 0.4f);
  EXPECT_EQ(d.acceptor_loss_pos, -5);  // a tie over every other position: the first in genome order
}

TEST(SpliceDeltas, PangolinMasking) {
  Snv v;
  v.ref_don[4] = 0.9f;  // genome 99: annotated donor, lost: kept
  v.alt_don[4] = 0.1f;
  v.ref_don[6] = 0.5f;  // genome 101: an unannotated donor lost: masked
  v.alt_don[6] = 0.0f;
  v.alt_acc[3] = 0.7f;  // genome 98: an annotated acceptor gains: masked
  v.alt_acc[9] = 0.2f;  // genome 104: an unannotated acceptor gains: kept
  v.ref_acc[1] = 0.95f;  // genome 96: unannotated acceptor lost: masked
  v.alt_acc[1] = 0.05f;
  const std::map<int64_t, data::SiteClass> sites = {{99, data::SiteClass::donor}, {98, data::SiteClass::acceptor}};
  auto annotated = [&](int64_t g) {
    auto it = sites.find(g);
    return it == sites.end() ? data::SiteClass::neither : it->second;
  };
  SpliceDeltas plain = v.deltas(5), masked = v.deltas(5, annotated);
  EXPECT_FLOAT_EQ(plain.acceptor_gain, 0.7f);
  EXPECT_EQ(plain.acceptor_gain_pos, -2);
  EXPECT_FLOAT_EQ(masked.acceptor_gain, 0.2f);
  EXPECT_EQ(masked.acceptor_gain_pos, 4);
  EXPECT_FLOAT_EQ(plain.acceptor_loss, 0.9f);
  EXPECT_EQ(plain.acceptor_loss_pos, -4);
  EXPECT_FLOAT_EQ(masked.acceptor_loss, 0.0f);  // no annotated acceptor loses: capped at 0 everywhere
  EXPECT_FLOAT_EQ(masked.donor_loss, 0.8f);
  EXPECT_EQ(masked.donor_loss_pos, -1);
  EXPECT_FLOAT_EQ(plain.donor_loss, 0.8f);
}

TEST(SpliceDeltas, DeletionsCompareGenomePositions) {
  // A 3-base deletion at 100 (REF 3 bases, ALT 1): genome 101 and 102 are gone from ALT; 103 moves 2 to the left.
  AlleleLayout l = allele_layout(100, 3, 1, 11);
  std::vector<float> ref(11, 0.0f), alt(11, 0.0f), zero(11, 0.0f);
  ref[8] = 0.7f;  // genome 103 in REF (index 8) ...
  alt[6] = 0.7f;  // ... is index 6 in ALT: unchanged
  alt[8] = 0.4f;  // ALT index 8 is genome 105: gained
  SpliceDeltas d = splice_deltas({ref.data(), alt.data()}, {zero.data(), zero.data()}, 11, 0, l, 5);
  EXPECT_FLOAT_EQ(d.acceptor_gain, 0.4f);
  EXPECT_EQ(d.acceptor_gain_pos, 5);
  EXPECT_FLOAT_EQ(d.acceptor_loss, 0.0f);
}

TEST(SpliceDeltas, InfoEntryLikeSpliceAi) {
  SpliceDeltas d{0.004f, 0.815f, -0.001f, 0.125f, 3, -1, 0, 12};
  EXPECT_EQ(splice_info_entry("A", "Gene:WBGene1", d), "A|Gene:WBGene1|0.00|0.81|-0.00|0.12|3|-1|0|12");
  EXPECT_EQ(splice_info_entry("GT", "a|b,c", d).substr(0, 9), "GT|a_b_c|");
}

}  // namespace seqdl::variants
