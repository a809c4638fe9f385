#include "predict/windows.hpp"

#include <algorithm>

#include "util/error.hpp"

namespace seqdl::predict {

std::vector<Chunk> plan_chunks(const std::vector<ScanRegion>& regions, const WindowGeometry& g, int64_t max_windows) {
  std::vector<Chunk> chunks;
  int64_t index = 0;
  for (size_t ri = 0; ri < regions.size(); ++ri) {
    const ScanRegion& r = regions[ri];
    int64_t first, count;
    if (g.pad) {
      // Bins tile [start, end) from its first base.
      first = r.start - g.bin_offset;
      count = (r.end - r.start + g.bin - 1) / g.bin;
    } else {
      // Whole windows on the contig only, their bins inside the region.
      int64_t lo = std::max<int64_t>(0, r.start - g.bin_offset);
      int64_t hi = std::min<int64_t>(r.contig_length - g.window, r.end - g.bin_offset - 1);  // last allowed start
      if (hi < lo) continue;
      first = lo;
      count = (hi - lo) / g.step + 1;
    }
    for (int64_t done = 0; done < count; done += max_windows) {
      chunks.push_back({ri, first + done * g.step, std::min(max_windows, count - done), index++});
    }
  }
  return chunks;
}

std::vector<Chunk> shard_of(const std::vector<Chunk>& chunks, int k, int n) {
  if (n < 1 || k < 1 || k > n) throw UsageError("--shard: expected K/N with 1 <= K <= N, found {}/{}", k, n);
  size_t total = chunks.size();
  size_t begin = total * static_cast<size_t>(k - 1) / static_cast<size_t>(n);
  size_t end = total * static_cast<size_t>(k) / static_cast<size_t>(n);
  return {chunks.begin() + static_cast<std::ptrdiff_t>(begin), chunks.begin() + static_cast<std::ptrdiff_t>(end)};
}

std::pair<int64_t, int64_t> written_bases(const Chunk& c, int64_t i, const ScanRegion& r, const WindowGeometry& g) {
  int64_t begin = c.first_start + i * g.step + g.bin_offset;
  int64_t end = begin + g.bin;
  return {std::max(begin, r.start), std::min(end, r.end)};
}

}  // namespace seqdl::predict
