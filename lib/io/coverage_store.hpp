// Per-base coverage of a genome (read 5'-end counts, Tn5 cut sites, or a track as given), per strand, held as
// sorted runs of equal non-zero value for each contig and strand.
//
// Memory bound: 12 bytes per run (at most one run per non-zero base and strand; for 5'-end counts at most one
// per counted read), nothing for zero bases or for contigs without coverage; the run vectors grow by a
// quarter, so at most 25% of that is spare. While counting, CoverageCounter adds a buffer of at most
// `buffer_points` pending points (8 bytes each: 32 MiB by default) and, during a flush, the flushed points as
// runs twice (at most 48 MiB each by default). For comparison, dense float arrays of a 3.1 Gb genome take
// 12.4 GB per strand; 100 M reads' 5' ends take at most 1.2 GB (1.5 GB with the spare) here. Measured: 20 M
// cut sites (10 M fragments on one 250 Mb contig) -> 18.9 M runs in 226 MiB.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/indexed_fasta.hpp"
#include "util/choices.hpp"

namespace seqdl::io {

// Which strands a store keeps: plus and minus apart (channels 0 and 1), or their sum (channel 0).
enum class StrandMode { both, combined };
inline constexpr Choices<StrandMode, 2> kStrandModeChoices{{{"both", StrandMode::both}, {"combined", StrandMode::combined}}};
inline int strand_channels(StrandMode m) { return m == StrandMode::both ? 2 : 1; }

// Bases [start, end) of one contig all hold `value` (never 0).
struct CoverageRun {
  uint32_t start = 0, end = 0;
  float value = 0;
  bool operator==(const CoverageRun&) const = default;
};

class CoverageStore {
 public:
  CoverageStore() = default;
  CoverageStore(std::vector<Contig> contigs, StrandMode strands);  // all zero

  StrandMode strand_mode() const { return mode_; }
  int strands() const { return strand_channels(mode_); }
  const std::vector<Contig>& contigs() const { return contigs_; }
  int contig_index(std::string_view chrom) const;  // -1 when the store has no such contig

  // The runs of one contig and strand channel, sorted and non-overlapping, adjacent runs of different value.
  std::span<const CoverageRun> runs(size_t contig, int strand) const { return runs_[contig * strands() + strand]; }

  // Values of [start, end) on one strand channel into out[0, end - start). Bases outside the contig, and every
  // base of a contig the store does not have, are 0. Const and safe to call from several threads at once.
  void fetch(std::string_view chrom, int64_t start, int64_t end, int strand, float* out) const;
  void fetch(size_t contig, int64_t start, int64_t end, int strand, float* out) const;
  std::vector<float> fetch(std::string_view chrom, int64_t start, int64_t end, int strand) const;

  double total(int strand) const;         // sum over every base of one channel
  uint64_t run_count() const;             // over every contig and channel
  uint64_t memory_bytes() const;          // held by the runs

 private:
  friend class CoverageCounter;
  std::vector<Contig> contigs_;
  std::unordered_map<std::string, size_t> index_;
  StrandMode mode_ = StrandMode::both;
  std::vector<std::vector<CoverageRun>> runs_;  // [contig * strands + strand]
};

// Builds a CoverageStore from points (a count at one base: a read's 5' end, a cut site) and intervals (a
// track's runs) arriving in any order, in the bounded memory stated above. Values at the same base add up;
// so do overlapping intervals. Not thread-safe.
class CoverageCounter {
 public:
  CoverageCounter(std::vector<Contig> contigs, StrandMode strands, size_t buffer_points = size_t{1} << 22);

  const CoverageStore& store() const { return store_; }  // contigs and strand mode; runs only after finish()

  // strand: 0 plus, 1 minus; with StrandMode::combined both go to channel 0. pos < the contig's length.
  void add_point(size_t contig, int strand, uint32_t pos, float weight) {
    int channel = store_.strands() == 2 ? strand : 0;
    points_[contig * store_.strands() + channel].push_back({pos, weight});
    if (++pending_ >= buffer_points_) flush();
  }
  // [start, end) all get `value` added; end <= the contig's length.
  void add_interval(size_t contig, int strand, uint32_t start, uint32_t end, float value);

  // Folds every pending point and interval into the runs. Called when the buffer fills; call it between two
  // track files so that each file's intervals are merged on their own.
  void flush();

  // The finished store (the counter is empty afterwards).
  CoverageStore finish();

 private:
  struct Point {
    uint32_t pos;
    float weight;
  };
  void flush_channel(size_t channel);

  CoverageStore store_;
  std::vector<std::vector<Point>> points_;
  std::vector<std::vector<CoverageRun>> intervals_;
  size_t buffer_points_, pending_ = 0;
};

// Runs of the sum of two run lists (both sorted and non-overlapping); adjacent equal values are joined and
// zero sums dropped. Exposed for tests.
std::vector<CoverageRun> add_runs(std::span<const CoverageRun> a, std::span<const CoverageRun> b);

}  // namespace seqdl::io
