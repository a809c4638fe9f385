#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/test_support.hpp"
#include "variants/allele_windows.hpp"

namespace seqdl::variants {
namespace {

// A 40-base contig and a fetch that pads with N outside it, as IndexedFasta::fetch_padded does.
const std::string kContig = "ACGGTCATTGCAAGTCCGATTAGCCTAGGATCCATGCATG";

std::string fetch(int64_t s, int64_t e) {
  std::string out;
  for (int64_t i = s; i < e; ++i) out += i >= 0 && i < static_cast<int64_t>(kContig.size()) ? kContig[static_cast<size_t>(i)] : 'N';
  return out;
}

AlleleWindows windows(int64_t pos, const std::string& ref, const std::string& alt, int64_t w) {
  AlleleLayout l = allele_layout(pos, static_cast<int64_t>(ref.size()), static_cast<int64_t>(alt.size()), w);
  return allele_windows(l, alt, static_cast<int64_t>(kContig.size()), fetch);
}

std::string g(int64_t s, int64_t e) { return kContig.substr(static_cast<size_t>(s), static_cast<size_t>(e - s)); }

}  // namespace

TEST(AlleleWindows, SnvSitsAtTheCentreOfBothWindows) {
  // Even W: the variant is the first base right of the middle (index W / 2).
  auto w = windows(20, g(20, 21), "C", 10);
  EXPECT_EQ(w.ref, g(15, 25));
  std::string alt = g(15, 25);
  alt[5] = 'C';
  EXPECT_EQ(w.alt, alt);
  EXPECT_FALSE(w.padded);
  // Odd W: exactly the middle.
  auto odd = windows(20, g(20, 21), "G", 11);
  EXPECT_EQ(odd.ref, g(15, 26));
  EXPECT_EQ(odd.alt, g(15, 20) + "G" + g(21, 26));
  EXPECT_EQ(centre_index(11), 5);
}

TEST(AlleleWindows, DeletionExtendsTheFarEndFromTheGenome) {
  // REF g[20, 23), ALT its first base: the right flank continues at g[23].
  auto w = windows(20, g(20, 23), g(20, 21), 10);
  EXPECT_EQ(w.ref, g(15, 25));
  EXPECT_EQ(w.alt, g(15, 21) + g(23, 27));
  EXPECT_EQ(w.alt.size(), 10u);
  // A deletion longer than the window's right half: the flank is fetched past the REF window.
  auto big = windows(20, g(20, 28), g(20, 21), 10);
  EXPECT_EQ(big.alt, g(15, 21) + g(28, 32));
}

TEST(AlleleWindows, InsertionTrimsTheFarEnd) {
  auto w = windows(20, g(20, 21), g(20, 21) + "TTT", 10);
  EXPECT_EQ(w.ref, g(15, 25));
  EXPECT_EQ(w.alt, g(15, 21) + "TTT" + g(21, 22));
  // An ALT longer than the window's right half is itself cut at the window's end.
  auto long_alt = windows(20, g(20, 21), "AAAAAAAA", 10);
  EXPECT_EQ(long_alt.alt, g(15, 20) + "AAAAA");
  // A complex substitution: ALT replaces REF, the flank follows REF's end.
  auto complex = windows(20, g(20, 23), "GG", 10);
  EXPECT_EQ(complex.alt, g(15, 20) + "GG" + g(23, 26));
}

TEST(AlleleWindows, WindowsOffAContigEndArePaddedWithN) {
  auto start = windows(2, g(2, 3), "A", 10);
  EXPECT_EQ(start.ref, "NNN" + g(0, 7));
  EXPECT_TRUE(start.padded);
  auto end = windows(37, g(37, 38), "A", 10);
  EXPECT_EQ(end.ref, g(32, 40) + "NN");
  EXPECT_TRUE(end.padded);
  // The REF window fits, but the deletion's extension runs off the end.
  auto del = windows(33, g(33, 37), g(33, 34), 10);
  EXPECT_EQ(del.ref, g(28, 38));
  EXPECT_EQ(del.alt, g(28, 34) + g(37, 40) + "N");
  EXPECT_EQ(del.alt.size(), 10u);
  EXPECT_TRUE(del.padded);
  auto inside = windows(20, g(20, 21), "A", 10);
  EXPECT_FALSE(inside.padded);
}

class AlleleWindowsFasta : public test::TempDir {};

TEST_F(AlleleWindowsFasta, IndexedFastaGivesTheSameWindows) {
  std::mt19937 rng(3);
  std::string contig;
  for (int i = 0; i < 1000; ++i) contig += "ACGT"[rng() % 4];
  std::string text = ">c\n";
  for (size_t i = 0; i < contig.size(); i += 60) text += contig.substr(i, 60) + "\n";
  io::IndexedFasta genome(write("g.fa", text));
  io::VariantAllele a;
  a.chrom = "c";
  a.pos = 500;
  a.ref = contig.substr(500, 4);
  a.alt = contig.substr(500, 1);
  auto w = allele_windows(genome, a, 101);
  EXPECT_EQ(w.ref, contig.substr(450, 101));
  EXPECT_EQ(w.alt, contig.substr(450, 51) + contig.substr(504, 50));
  a.pos = 990;
  a.ref = contig.substr(990, 1);
  a.alt = "ACGT";
  auto end = allele_windows(genome, a, 101);
  EXPECT_EQ(end.ref, contig.substr(940) + std::string(41, 'N'));
  EXPECT_EQ(end.alt, contig.substr(940, 50) + "ACGT" + contig.substr(991) + std::string(38, 'N'));
  EXPECT_TRUE(end.padded);
}

TEST(AlleleLayout, GenomePositionsMapToWindowIndices) {
  // Deletion of 2 bases after the anchor at 20 (REF 3 bases, ALT 1), W = 10, window start 15.
  AlleleLayout del = allele_layout(20, 3, 1, 10);
  EXPECT_EQ(del.start, 15);
  EXPECT_EQ(del.ref_index(15), 0);
  EXPECT_EQ(del.ref_index(14), -1);
  EXPECT_EQ(del.ref_index(25), -1);
  EXPECT_EQ(del.alt_index(19), 4);
  EXPECT_EQ(del.alt_index(20), 5);   // the anchor base
  EXPECT_EQ(del.alt_index(21), -1);  // deleted
  EXPECT_EQ(del.alt_index(22), -1);  // deleted
  EXPECT_EQ(del.alt_index(23), 6);   // the right flank, shifted left by 2
  EXPECT_EQ(del.alt_index(26), 9);
  EXPECT_EQ(del.alt_index(27), -1);
  // Insertion of 3 bases after the anchor: the flank shifts right; the inserted bases have no genome position.
  AlleleLayout ins = allele_layout(20, 1, 4, 10);
  EXPECT_EQ(ins.alt_index(20), 5);
  EXPECT_EQ(ins.alt_index(21), 9);
  EXPECT_EQ(ins.alt_index(22), -1);
  // SNV: the same index everywhere.
  AlleleLayout snv = allele_layout(20, 1, 1, 10);
  for (int64_t p = 15; p < 25; ++p) EXPECT_EQ(snv.alt_index(p), snv.ref_index(p));
}

TEST(DeltaScores, GainAndLossOnGenomeCoordinates) {
  // W = 20, outputs for window indices 2..17 (P = 16, offset 2); variant at 100, window start 90.
  const int64_t W = 20, P = 16, offset = 2;
  EXPECT_EQ(max_distance(W, P, offset), 7);  // centre output index 8; 16 - 1 - 8 = 7
  std::vector<float> ref(P, 0.5f), alt(P, 0.5f);
  AlleleLayout snv = allele_layout(100, 1, 1, W);
  alt[static_cast<size_t>(snv.ref_index(103) - offset)] = 0.9f;  // gain at +3
  alt[static_cast<size_t>(snv.ref_index(98) - offset)] = 0.1f;   // loss at -2
  DeltaScores d = delta_scores(ref.data(), alt.data(), P, offset, snv, 5);
  EXPECT_FLOAT_EQ(d.gain, 0.4f);
  EXPECT_EQ(d.gain_pos, 3);
  EXPECT_FLOAT_EQ(d.loss, 0.4f);
  EXPECT_EQ(d.loss_pos, -2);
  // Outside the distance: not seen.
  DeltaScores near = delta_scores(ref.data(), alt.data(), P, offset, snv, 1);
  EXPECT_FLOAT_EQ(near.gain, 0.0f);
  EXPECT_EQ(near.gain_pos, -1);  // the first of equal values in genome order
  EXPECT_FLOAT_EQ(near.loss, 0.0f);

  // Deletion of 2 bases after 100: REF positions 101, 102 have no ALT; ALT of 103 sits at REF's index of 101.
  AlleleLayout del = allele_layout(100, 3, 1, W);
  std::vector<float> r2(P, 0.5f), a2(P, 0.5f);
  r2[static_cast<size_t>(del.ref_index(101) - offset)] = 0.99f;  // deleted: not compared
  a2[static_cast<size_t>(del.alt_index(103) - offset)] = 0.7f;   // genome 103 gains 0.2
  DeltaScores dd = delta_scores(r2.data(), a2.data(), P, offset, del, 5);
  EXPECT_FLOAT_EQ(dd.gain, 0.2f);
  EXPECT_EQ(dd.gain_pos, 3);
  EXPECT_FLOAT_EQ(dd.loss, 0.0f);

  // Insertion of 2 bases: the inserted ALT outputs are not compared; genome 101 is ALT index + 2.
  AlleleLayout ins = allele_layout(100, 1, 3, W);
  std::vector<float> r3(P, 0.5f), a3(P, 0.5f);
  a3[static_cast<size_t>(ins.centre() + 1 - offset)] = 0.99f;  // an inserted base
  a3[static_cast<size_t>(ins.alt_index(101) - offset)] = 0.2f;  // genome 101 loses 0.3
  DeltaScores di = delta_scores(r3.data(), a3.data(), P, offset, ins, 5);
  EXPECT_FLOAT_EQ(di.gain, 0.0f);
  EXPECT_FLOAT_EQ(di.loss, 0.3f);
  EXPECT_EQ(di.loss_pos, 1);
}

TEST(DeltaScores, Log2RatioHasADocumentedEpsilon) {
  EXPECT_FLOAT_EQ(log2_ratio(0.25f, 0.5f), static_cast<float>(std::log2((0.5 + 1e-6) / (0.25 + 1e-6))));
  EXPECT_TRUE(std::isfinite(log2_ratio(0.0f, 0.0f)));
  EXPECT_FLOAT_EQ(log2_ratio(0.0f, 0.0f), 0.0f);
}

}  // namespace seqdl::variants
