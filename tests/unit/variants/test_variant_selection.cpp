#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "util/error.hpp"
#include "variants/variant_selection.hpp"

namespace seqdl::variants {
namespace {

// Two contigs of 10 and 7 bases: 17 bases end to end.
class VariantSelectionTest : public test::TempDir {
 protected:
  std::string genome() const { return write("g.fa", ">a\nACGTACGTAC\n>b\nTTTGGGC\n"); }
};

TEST_F(VariantSelectionTest, EverythingWithoutRegionsOrShard) {
  io::IndexedFasta g(genome());
  VariantSelection s(g, {}, "");
  EXPECT_TRUE(s.everything());
  EXPECT_TRUE(s.keep("a", 0));
  EXPECT_TRUE(s.keep("zz", 5));  // contigs the genome lacks are kept (and skipped later with a warning)
  EXPECT_EQ(s.description(), "");
}

TEST_F(VariantSelectionTest, ShardsTileTheGenomeEndToEnd) {
  io::IndexedFasta g(genome());
  // 3 shards of 17 bases: [0, 5), [5, 11), [11, 17) of a(0..9) b(10..16).
  std::vector<VariantSelection> shards;
  for (int k = 1; k <= 3; ++k) shards.emplace_back(g, std::vector<std::string>{}, std::to_string(k) + "/3");
  auto owner = [&](const std::string& chrom, int64_t pos) {
    int n = 0, which = 0;
    for (int k = 0; k < 3; ++k) {
      if (shards[static_cast<size_t>(k)].keep(chrom, pos)) {
        ++n;
        which = k + 1;
      }
    }
    EXPECT_EQ(n, 1) << chrom << ":" << pos;
    return which;
  };
  EXPECT_EQ(owner("a", 0), 1);
  EXPECT_EQ(owner("a", 4), 1);
  EXPECT_EQ(owner("a", 5), 2);
  EXPECT_EQ(owner("b", 0), 2);  // base 10 end to end
  EXPECT_EQ(owner("b", 1), 3);
  EXPECT_EQ(owner("b", 6), 3);
  EXPECT_EQ(owner("unknown", 3), 1);  // shard 1 reports contigs the genome lacks
  EXPECT_EQ(shards[1].description(), "shard 2/3 (genome bases 6-11 of the contigs end to end)");
}

TEST_F(VariantSelectionTest, RegionsByPosOneBasedInclusiveAndMerged) {
  io::IndexedFasta g(genome());
  std::string bed = write("r.bed", "a\t2\t4\na\t3\t6\n");
  VariantSelection s(g, {bed, "b:7-7"}, "");
  EXPECT_FALSE(s.keep("a", 1));
  EXPECT_TRUE(s.keep("a", 2));
  EXPECT_TRUE(s.keep("a", 5));  // the overlapping BED lines merged: [2, 6)
  EXPECT_FALSE(s.keep("a", 6));
  EXPECT_TRUE(s.keep("b", 6));  // b:7-7 is 0-based 6
  EXPECT_FALSE(s.keep("b", 5));
  EXPECT_FALSE(s.keep("c", 0));
  EXPECT_EQ(s.description(), "3 regions (5 bases)");
  // Regions and shard together: both must hold.
  VariantSelection both(g, {"a:1-10"}, "2/3");
  EXPECT_FALSE(both.keep("a", 4));
  EXPECT_TRUE(both.keep("a", 5));
}

TEST_F(VariantSelectionTest, BadShardsAndRegionsAreRejected) {
  io::IndexedFasta g(genome());
  EXPECT_THROW(VariantSelection(g, {}, "0/3"), UsageError);
  EXPECT_THROW(VariantSelection(g, {}, "4/3"), UsageError);
  EXPECT_THROW(VariantSelection(g, {}, "1-3"), UsageError);
  EXPECT_THROW(VariantSelection(g, {"chrX:1-5"}, ""), InputError);
}

}  // namespace
}  // namespace seqdl::variants
