// The coverage store: run arithmetic on hand-computed cases, and random points/intervals counted through many
// buffer flushes checked base by base against a plain dense array.
#include <gtest/gtest.h>

#include <random>

#include "io/coverage_store.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

using Runs = std::vector<CoverageRun>;

TEST(CoverageRuns, AddRunsHandCases) {
  Runs a = {{0, 4, 1}, {6, 8, 2}};
  Runs b = {{2, 7, 1}};
  // 0-2:1, 2-4:2, 4-6:1, 6-7:3, 7-8:2
  EXPECT_EQ(add_runs(a, b), (Runs{{0, 2, 1}, {2, 4, 2}, {4, 6, 1}, {6, 7, 3}, {7, 8, 2}}));
  // Adjacent equal values join; a sum of zero disappears.
  EXPECT_EQ(add_runs(Runs{{0, 2, 1}}, Runs{{2, 5, 1}}), (Runs{{0, 5, 1}}));
  EXPECT_EQ(add_runs(Runs{{0, 3, 1}}, Runs{{1, 2, -1}}), (Runs{{0, 1, 1}, {2, 3, 1}}));
  EXPECT_EQ(add_runs(Runs{}, Runs{{3, 4, 5}}), (Runs{{3, 4, 5}}));
}

TEST(CoverageStore, FetchOutsideContigAndUnknownContigIsZero) {
  CoverageCounter counter({{"c1", 10}, {"c2", 5}}, StrandMode::both);
  counter.add_point(0, 0, 0, 2);
  counter.add_point(0, 1, 9, 1);
  counter.add_interval(1, 0, 1, 4, 0.5f);
  CoverageStore s = counter.finish();
  EXPECT_EQ(s.fetch("c1", -2, 3, 0), (std::vector<float>{0, 0, 2, 0, 0}));
  EXPECT_EQ(s.fetch("c1", 8, 12, 1), (std::vector<float>{0, 1, 0, 0}));
  EXPECT_EQ(s.fetch("c2", 0, 5, 0), (std::vector<float>{0, 0.5f, 0.5f, 0.5f, 0}));
  EXPECT_EQ(s.fetch("nope", 0, 3, 0), (std::vector<float>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(s.total(0), 3.5);
  EXPECT_DOUBLE_EQ(s.total(1), 1.0);
  EXPECT_EQ(s.contig_index("c2"), 1);
  EXPECT_EQ(s.contig_index("c3"), -1);
}

TEST(CoverageStore, CombinedFoldsStrands) {
  CoverageCounter counter({{"c", 4}}, StrandMode::combined);
  counter.add_point(0, 0, 1, 1);
  counter.add_point(0, 1, 1, 2);
  counter.add_point(0, 1, 3, 1);
  CoverageStore s = counter.finish();
  EXPECT_EQ(s.strands(), 1);
  EXPECT_EQ(s.fetch("c", 0, 4, 0), (std::vector<float>{0, 3, 0, 1}));
}

TEST(CoverageStore, ContigTooLongForUint32) {
  EXPECT_THROW(CoverageStore({{"big", int64_t{1} << 33}}, StrandMode::both), InputError);
}

// Random points and intervals in random order, a tiny buffer (so flushes merge into existing runs many
// times), against a dense array; then random windows read back.
TEST(CoverageStore, RandomInputMatchesDenseArray) {
  std::mt19937_64 gen(7);
  const std::vector<Contig> contigs = {{"a", 5000}, {"b", 1200}};
  for (StrandMode mode : {StrandMode::both, StrandMode::combined}) {
    int strands = strand_channels(mode);
    std::vector<std::vector<double>> dense(contigs.size() * 2);
    for (size_t c = 0; c < contigs.size(); ++c) {
      for (int s = 0; s < 2; ++s) dense[c * 2 + s].assign(static_cast<size_t>(contigs[c].length), 0.0);
    }
    CoverageCounter counter(contigs, mode, 97);
    for (int i = 0; i < 20000; ++i) {
      size_t c = gen() % contigs.size();
      int s = static_cast<int>(gen() % 2), ch = strands == 2 ? s : 0;
      auto len = static_cast<uint32_t>(contigs[c].length);
      if (gen() % 10 == 0) {  // an interval
        uint32_t a = static_cast<uint32_t>(gen() % len), e = std::min<uint32_t>(len, a + 1 + gen() % 40);
        float v = static_cast<float>(1 + gen() % 3);
        counter.add_interval(c, s, a, e, v);
        for (uint32_t p = a; p < e; ++p) dense[c * 2 + ch][p] += v;
      } else {
        // Mostly increasing positions, as a sorted BAM gives, with some out of order.
        uint32_t p = gen() % 4 == 0
                         ? static_cast<uint32_t>(gen() % len)
                         : static_cast<uint32_t>((static_cast<uint64_t>(i) * len / 20000 + gen() % 50) % len);
        float w = static_cast<float>(1 + gen() % 2);
        counter.add_point(c, s, p, w);
        dense[c * 2 + ch][p] += w;
      }
    }
    CoverageStore store = counter.finish();
    for (size_t c = 0; c < contigs.size(); ++c) {
      for (int s = 0; s < strands; ++s) {
        const auto& d = dense[c * 2 + s];
        std::vector<float> got = store.fetch(contigs[c].name, 0, contigs[c].length, s);
        for (size_t p = 0; p < d.size(); ++p) ASSERT_FLOAT_EQ(got[p], static_cast<float>(d[p])) << c << ":" << p;
        auto runs = store.runs(c, s);  // canonical: sorted, disjoint, no zero, neighbours differ or gap
        for (size_t k = 0; k < runs.size(); ++k) {
          ASSERT_LT(runs[k].start, runs[k].end);
          ASSERT_NE(runs[k].value, 0.0f);
          if (k > 0) {
            ASSERT_TRUE(runs[k - 1].end < runs[k].start || runs[k - 1].value != runs[k].value);
            ASSERT_LE(runs[k - 1].end, runs[k].start);
          }
        }
        for (int w = 0; w < 200; ++w) {
          int64_t a = static_cast<int64_t>(gen() % (contigs[c].length + 40)) - 20;
          int64_t e = a + 1 + static_cast<int64_t>(gen() % 300);
          std::vector<float> part = store.fetch(contigs[c].name, a, e, s);
          for (int64_t p = a; p < e; ++p) {
            float want = p < 0 || p >= contigs[c].length ? 0.0f : static_cast<float>(d[static_cast<size_t>(p)]);
            ASSERT_FLOAT_EQ(part[static_cast<size_t>(p - a)], want);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace seqdl::io
