// Genome scan geometry: hand-computed plans, and for many geometries a base-by-base count of what the planned
// windows write, checked against the documented rules worked out per base (every base once with edges = pad;
// with edges = skip, once for each base whose bin's window lies wholly on the contig, else never).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "predict/windows.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::predict {
namespace {

// A per-window model of input `window`, stride `stride` (bins centred in the window).
WindowGeometry per_window(int64_t window, int64_t stride, bool pad) {
  return {.window = window, .step = stride, .bin = stride, .bin_offset = (window - stride) / 2, .pad = pad};
}

// A per-position model writing `out` positions starting `offset` bases into its window.
WindowGeometry per_position(int64_t window, int64_t out, int64_t offset, bool pad) {
  return {.window = window, .step = out, .bin = out, .bin_offset = offset, .pad = pad};
}

// How many planned windows write each base of [0, contig_length) (only the region's bases can be non-zero).
std::vector<int> written_counts(const std::vector<Chunk>& chunks, const std::vector<ScanRegion>& regions, size_t which,
                                const WindowGeometry& g) {
  const ScanRegion& r = regions[which];
  std::vector<int> count(static_cast<size_t>(r.contig_length), 0);
  for (const Chunk& c : chunks) {
    if (c.region != which) continue;
    for (int64_t i = 0; i < c.windows; ++i) {
      int64_t start = c.first_start + i * g.step;
      if (!g.pad) {
        EXPECT_GE(start, 0) << "a skipped-edge window runs off the contig start";
        EXPECT_LE(start + g.window, r.contig_length) << "a skipped-edge window runs off the contig end";
      }
      auto [b, e] = written_bases(c, i, r, g);
      EXPECT_LT(b, e) << "window " << i << " of a chunk writes nothing";
      EXPECT_GE(b, r.start);
      EXPECT_LE(e, r.end);
      // The written bases are the window's bin (start + offset, bin bases), clipped to the region.
      EXPECT_EQ(b, std::max(start + g.bin_offset, r.start));
      EXPECT_EQ(e, std::min(start + g.bin_offset + g.bin, r.end));
      for (int64_t p = b; p < e; ++p) ++count[static_cast<size_t>(p)];
    }
  }
  return count;
}

// With skipped edges, the bins tile the region from the first base that a window lying wholly on the contig can
// write, max(start, offset); a bin is kept when its window lies on the contig. (A window shifted off this grid
// could write a few more bases at the contig end, but only by writing others twice.)
bool written_without_padding(int64_t p, const ScanRegion& r, const WindowGeometry& g) {
  int64_t first = std::max(r.start, g.bin_offset);
  if (p < first) return false;
  int64_t window_start = first - g.bin_offset + (p - first) / g.bin * g.bin;
  return window_start + g.window <= r.contig_length;
}

void check_plan(const std::vector<ScanRegion>& regions, const WindowGeometry& g, int64_t max_windows) {
  std::vector<Chunk> chunks = plan_chunks(regions, g, max_windows);
  // Chunk bounds: 1..max_windows windows, indices in order, genome order, consecutive within a region.
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    EXPECT_EQ(c.index, static_cast<int64_t>(i));
    EXPECT_GE(c.windows, 1);
    EXPECT_LE(c.windows, max_windows);
    EXPECT_EQ(c.span_start(), c.first_start);
    EXPECT_EQ(c.span_end(g), c.first_start + (c.windows - 1) * g.step + g.window);
    if (i > 0) {
      const Chunk& p = chunks[i - 1];
      EXPECT_LE(p.region, c.region);
      if (p.region == c.region) {
        EXPECT_EQ(c.first_start, p.first_start + p.windows * g.step);
        EXPECT_EQ(p.windows, max_windows) << "only a region's last chunk may be short";
      }
    }
  }
  for (size_t ri = 0; ri < regions.size(); ++ri) {
    const ScanRegion& r = regions[ri];
    std::vector<int> count = written_counts(chunks, regions, ri, g);
    std::string where = r.chrom + ":" + std::to_string(r.start) + "-" + std::to_string(r.end) + " window " +
                        std::to_string(g.window) + " step " + std::to_string(g.step) + " offset " +
                        std::to_string(g.bin_offset) + (g.pad ? " pad" : " skip");
    for (int64_t p = 0; p < r.contig_length; ++p) {
      int expected = 0;
      if (p >= r.start && p < r.end) expected = g.pad || written_without_padding(p, r, g) ? 1 : 0;
      ASSERT_EQ(count[static_cast<size_t>(p)], expected) << where << ": base " << p;
    }
  }
}

}  // namespace

TEST(Windows, HandComputedPerWindowPlan) {
  // contig of 10, window 4, stride 2: bins [start + 1, start + 3).
  std::vector<ScanRegion> regions = {{"c", 0, 10, 10}};
  std::vector<Chunk> pad = plan_chunks(regions, per_window(4, 2, true), 2);
  // Padded: windows at -1, 1, 3, 5, 7 (bins [0,2) ... [8,10)), two per chunk.
  ASSERT_EQ(pad.size(), 3u);
  EXPECT_EQ(pad[0].first_start, -1);
  EXPECT_EQ(pad[0].windows, 2);
  EXPECT_EQ(pad[1].first_start, 3);
  EXPECT_EQ(pad[1].windows, 2);
  EXPECT_EQ(pad[2].first_start, 7);
  EXPECT_EQ(pad[2].windows, 1);
  EXPECT_EQ(pad[2].index, 2);
  EXPECT_EQ(pad[2].span_end(per_window(4, 2, true)), 11);
  // Skipped edges: windows at 0, 2, 4, 6 (bins [1,3) ... [7,9)); bases 0 and 9 have no whole window.
  std::vector<Chunk> skip = plan_chunks(regions, per_window(4, 2, false), 10);
  ASSERT_EQ(skip.size(), 1u);
  EXPECT_EQ(skip[0].first_start, 0);
  EXPECT_EQ(skip[0].windows, 4);
}

TEST(Windows, HandComputedSubRegionsAndClipping) {
  // Region [5, 12) of a 100-base contig, window 10, stride 4: bins [start + 3, start + 7).
  std::vector<ScanRegion> regions = {{"c", 5, 12, 100}};
  WindowGeometry g = per_window(10, 4, true);
  std::vector<Chunk> chunks = plan_chunks(regions, g, 100);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].first_start, 2);  // bin [5, 9)
  EXPECT_EQ(chunks[0].windows, 2);      // bins [5, 9) and [9, 13), the second clipped to 12
  EXPECT_EQ(written_bases(chunks[0], 0, regions[0], g), (std::pair<int64_t, int64_t>{5, 9}));
  EXPECT_EQ(written_bases(chunks[0], 1, regions[0], g), (std::pair<int64_t, int64_t>{9, 12}));
  // A window past the region writes nothing: begin >= end.
  auto [b, e] = written_bases(chunks[0], 3, regions[0], g);
  EXPECT_GE(b, e);
  // A region shorter than one bin still gets one window; an empty region none.
  EXPECT_EQ(plan_chunks({{"c", 50, 51, 100}}, g, 8).size(), 1u);
  EXPECT_TRUE(plan_chunks({{"c", 50, 50, 100}}, g, 8).empty());
  // Skipped edges on a contig shorter than the window: nothing fits.
  EXPECT_TRUE(plan_chunks({{"c", 0, 8, 8}}, per_window(10, 4, false), 8).empty());
}

TEST(Windows, HandComputedPerPositionPlan) {
  // Input 20, 8 output positions starting 6 in: writes [start + 6, start + 14).
  std::vector<ScanRegion> regions = {{"c", 0, 30, 30}};
  std::vector<Chunk> pad = plan_chunks(regions, per_position(20, 8, 6, true), 100);
  ASSERT_EQ(pad.size(), 1u);
  EXPECT_EQ(pad[0].first_start, -6);
  EXPECT_EQ(pad[0].windows, 4);  // [0,8) [8,16) [16,24) [24,32)->[24,30)
  std::vector<Chunk> skip = plan_chunks(regions, per_position(20, 8, 6, false), 100);
  ASSERT_EQ(skip.size(), 1u);
  EXPECT_EQ(skip[0].first_start, 0);
  EXPECT_EQ(skip[0].windows, 2);  // starts 0 and 8 (8 + 20 <= 30); 16 + 20 > 30
}

TEST(Windows, EveryBaseOnceForManyGeometries) {
  Rng rng(17);
  for (int trial = 0; trial < 300; ++trial) {
    int64_t window = 1 + static_cast<int64_t>(rng.below(40));
    bool position = rng.below(2) == 1;
    WindowGeometry g;
    if (position) {
      int64_t out = 1 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(window)));
      g = per_position(window, out, static_cast<int64_t>(rng.below(static_cast<uint64_t>(window - out + 1))),
                       rng.below(2) == 1);
    } else {
      g = per_window(window, 1 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(window))), rng.below(2) == 1);
    }
    std::vector<ScanRegion> regions;
    for (int k = 0, n = 1 + static_cast<int>(rng.below(4)); k < n; ++k) {
      int64_t length = 1 + static_cast<int64_t>(rng.below(200));
      int64_t a = static_cast<int64_t>(rng.below(static_cast<uint64_t>(length)));
      int64_t e = a + 1 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(length - a)));
      if (rng.below(4) == 0) a = 0, e = length;  // whole contigs often
      std::string name = "c";  // built piecewise: GCC 12 warns falsely (-Warray-bounds) on "c" + string
      name += std::to_string(k);
      regions.push_back({name, a, e, length});
    }
    int64_t max_windows = 1 + static_cast<int64_t>(rng.below(6));
    check_plan(regions, g, max_windows);
    if (HasFatalFailure()) return;
  }
}

TEST(Windows, ShardsPartitionThePlanIntoContiguousParts) {
  for (size_t total : {0u, 1u, 2u, 5u, 7u, 64u, 101u}) {
    std::vector<Chunk> chunks;
    for (size_t i = 0; i < total; ++i) chunks.push_back({0, static_cast<int64_t>(i) * 10, 1, static_cast<int64_t>(i)});
    for (int n = 1; n <= 12; ++n) {
      std::vector<int64_t> seen;
      size_t smallest = total, largest = 0;
      for (int k = 1; k <= n; ++k) {
        std::vector<Chunk> part = shard_of(chunks, k, n);
        smallest = std::min(smallest, part.size());
        largest = std::max(largest, part.size());
        for (const Chunk& c : part) seen.push_back(c.index);
      }
      // Concatenated in shard order, the parts are the plan: disjoint, contiguous, complete, in order.
      std::vector<int64_t> all(total);
      for (size_t i = 0; i < total; ++i) all[i] = static_cast<int64_t>(i);
      EXPECT_EQ(seen, all) << total << " chunks, " << n << " shards";
      EXPECT_LE(largest - std::min(smallest, largest), 1u) << total << " chunks, " << n << " shards";
    }
  }
  std::vector<Chunk> some(3);
  EXPECT_THROW(shard_of(some, 0, 2), UsageError);
  EXPECT_THROW(shard_of(some, 3, 2), UsageError);
  EXPECT_THROW(shard_of(some, 1, 0), UsageError);
  EXPECT_THROW(shard_of(some, -1, 2), UsageError);
}

}  // namespace seqdl::predict
