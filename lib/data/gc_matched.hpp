// Genomic negatives for a set of positive windows: windows drawn at random from the same genome that do not
// overlap any positive or each other (so that no two examples share bases across a train/test split), hold
// few N, and follow the positives' GC distribution (matched per GC bin), so that a model cannot separate the
// classes by GC content alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"
#include "util/random.hpp"

namespace seqdl::data {

struct GcMatchOptions {
  int64_t window = 0;
  double ratio = 1.0;          // negatives per positive
  int bins = 20;               // GC histogram bins over [0, 1]
  double max_n_fraction = 0.01;
  int64_t attempts_per_negative = 200;  // then fill from the nearest GC bins that have spare candidates
  std::vector<std::string> chroms;      // draw only from these contigs (empty: every contig)
};

struct GcMatchResult {
  std::vector<io::Region> negatives;
  uint64_t from_neighbouring_bins = 0;  // could not be matched in their own bin
};

// `positives` are the positive windows (of `window` bases); `exclude` every interval negatives must avoid
// (usually the positive windows and the original peaks). Deterministic for a given Rng state. A bin that
// cannot be filled borrows the nearest bins' spare candidates (counted in from_neighbouring_bins). InputError
// when no contig holds a window, or when too few windows can be found (the message suggests a lower
// --negative-ratio). Reads the genome through `genome` (IndexedFasta may be shared between threads).
GcMatchResult gc_matched_negatives(const io::IndexedFasta& genome, const std::vector<io::Region>& positives,
                                   const std::vector<io::Region>& exclude, const GcMatchOptions& options, Rng& rng);

}  // namespace seqdl::data
