#include <gtest/gtest.h>

#include "encode/bases.hpp"

namespace seqdl::encode {

TEST(Bases, ValidCodesAreIupacInEitherCase) {
  for (char c : std::string("ACGTUNRYSWKMBDHVacgtunryswkmbdhv")) EXPECT_TRUE(is_base(c)) << c;
  for (char c : std::string("XEFIJLOPQZ-*. 0\n")) EXPECT_FALSE(is_base(c)) << c;
  EXPECT_EQ(find_invalid_base("ACGTNacgtn"), std::string_view::npos);
  EXPECT_EQ(find_invalid_base("ACGXT"), 3u);
}

TEST(Bases, EveryByteIsClassifiedInLongRuns) {
  // Long runs take the vectorised path; every byte value at several offsets must agree with the table.
  const std::string iupac = "ACGTUNRYSWKMBDHVacgtunryswkmbdhv";
  for (int b = 0; b < 256; ++b) {
    bool valid = iupac.find(static_cast<char>(b)) != std::string::npos && b != 0;
    for (size_t at : {0u, 17u, 31u, 32u, 63u, 70u}) {
      std::string s(71, 'A');
      s[at] = static_cast<char>(b);
      EXPECT_EQ(find_invalid_base(s), valid ? std::string_view::npos : at) << "byte " << b << " at " << at;
    }
  }
}

TEST(Bases, ReverseComplementIsIupacAwareAndKeepsCase) {
  EXPECT_EQ(reverse_complement("ACGTN"), "NACGT");
  EXPECT_EQ(reverse_complement("aacG"), "Cgtt");
  // R=AG <-> Y=CT, K=GT <-> M=AC, S and W are their own complements, B<->V, D<->H.
  EXPECT_EQ(reverse_complement("RYKMSWBVDH"), "DHBVWSKMRY");
  EXPECT_EQ(reverse_complement("U"), "A");
  std::string s = "GATTACA";
  reverse_complement_in_place(s);
  EXPECT_EQ(s, "TGTAATC");
  EXPECT_EQ(reverse_complement(reverse_complement("ACGTRYKMSWBDHVNacgt")), "ACGTRYKMSWBDHVNacgt");
}

TEST(Bases, FitLengthCentres) {
  // Crop keeps the middle: (7 - 3) / 2 = 2 bases dropped on the left.
  EXPECT_EQ(fit_length("AACGTTT", 3), "CGT");
  // Pad puts floor(extra / 2) before: extra 3 -> 1 before, 2 after.
  EXPECT_EQ(fit_length("ACG", 6), "NACGNN");
  EXPECT_EQ(fit_length("ACG", 3), "ACG");
  EXPECT_EQ(fit_length("ACG", 5, 'A'), "AACGA");
}

TEST(Bases, GcFractionCountsUnambiguousBasesOnly) {
  EXPECT_DOUBLE_EQ(gc_fraction("GCGC"), 1.0);
  EXPECT_DOUBLE_EQ(gc_fraction("ATgc"), 0.5);
  EXPECT_DOUBLE_EQ(gc_fraction("ANNG"), 0.5);  // N is not counted either way
  EXPECT_DOUBLE_EQ(gc_fraction("NNN"), 0.0);
}

}  // namespace seqdl::encode
