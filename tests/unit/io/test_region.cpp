#include <gtest/gtest.h>

#include "io/region.hpp"
#include "util/error.hpp"

namespace seqdl::io {

TEST(Region, SamtoolsStyleIsOneBasedInclusive) {
  Region r = parse_region("chr1:1,000-2,000", "--regions");
  EXPECT_EQ(r.chrom, "chr1");
  EXPECT_EQ(r.start, 999);
  EXPECT_EQ(r.end, 2000);
  EXPECT_EQ(r.length(), 1001);
  EXPECT_EQ(r.to_string(), "chr1:1000-2000");

  Region whole = parse_region("chrX", "x");
  EXPECT_EQ(whole.start, 0);
  EXPECT_TRUE(whole.open_ended());

  Region from = parse_region("chr2:500", "x");
  EXPECT_EQ(from.start, 499);
  EXPECT_TRUE(from.open_ended());

  Region one = parse_region("chr2:5-5", "x");
  EXPECT_EQ(one.length(), 1);
}

TEST(Region, ContigNamesWithColons) {
  Region braced = parse_region("{HLA-A*01:01}:10-20", "x");
  EXPECT_EQ(braced.chrom, "HLA-A*01:01");
  EXPECT_EQ(braced.start, 9);
  auto known = [](const std::string& n) { return n == "HLA-A*01:01"; };
  Region plain = parse_region("HLA-A*01:01", "x", known);
  EXPECT_EQ(plain.chrom, "HLA-A*01:01");
  EXPECT_TRUE(plain.open_ended());
}

TEST(Region, Rejects) {
  EXPECT_THROW(parse_region("", "x"), FormatError);
  EXPECT_THROW(parse_region("chr1:0-10", "x"), FormatError);
  EXPECT_THROW(parse_region("chr1:20-10", "x"), FormatError);
  EXPECT_THROW(parse_region("chr1:abc-10", "x"), FormatError);
  EXPECT_THROW(parse_region(":1-10", "x"), FormatError);
  EXPECT_THROW(parse_region("{chr1:1-10", "x"), FormatError);
  try {
    parse_region("chr1:5-x", "--regions");
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("--regions: region 'chr1:5-x'"), std::string::npos) << e.what();
  }
}

}  // namespace seqdl::io
