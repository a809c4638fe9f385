// Genome scan geometry, torch-free: which windows cover which bases, in chunks small enough to bound memory,
// split deterministically into shards for a workflow to scatter.
//
// Per-window models (one value per window): windows start every `stride` bases and each writes its value on
// its central `stride` bases. With edges = pad, those central bins tile every scanned region from its first
// base (windows running off a contig end are N-padded); with edges = skip, only windows that lie wholly on
// the contig are kept (the first bin then starts (window - stride) / 2 bases in).
// Per-position models (one value per base): windows advance by their output length and each writes its
// output positions, so every base gets exactly one value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "infer/window_geometry.hpp"

namespace seqdl::predict {

struct ScanRegion {
  std::string chrom;
  int64_t start = 0, end = 0;   // the bases to cover (0-based half-open)
  int64_t contig_length = 0;
};

using infer::WindowGeometry;

// A run of consecutive windows of one region: window i starts at first_start + i * step.
struct Chunk {
  size_t region = 0;
  int64_t first_start = 0;
  int64_t windows = 0;
  int64_t index = 0;            // position in the whole scan, for sharding

  int64_t span_start() const { return first_start; }
  int64_t span_end(const WindowGeometry& g) const { return first_start + (windows - 1) * g.step + g.window; }
};

// Every chunk of a scan, in genome order. `max_windows` bounds a chunk (memory).
std::vector<Chunk> plan_chunks(const std::vector<ScanRegion>& regions, const WindowGeometry& g, int64_t max_windows);

// The contiguous part of a plan that shard k of n (1-based k) processes.
std::vector<Chunk> shard_of(const std::vector<Chunk>& chunks, int k, int n);

// The bases window `i` of a chunk writes, clipped to its region: [begin, end), possibly empty.
std::pair<int64_t, int64_t> written_bases(const Chunk& c, int64_t i, const ScanRegion& r, const WindowGeometry& g);

}  // namespace seqdl::predict
