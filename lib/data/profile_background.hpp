// Background (non-peak) windows for profile models: genome windows whose GC content follows that of the peak
// windows of the same split (matched per GC bin, data/gc_matched.hpp), drawn afresh for every epoch, as
// ChromBPNet samples its GC-matched negatives. A background window's fetch span (input widened by the
// jitter) lies inside its contig, on a chromosome of its split, and overlaps no peak (neither the peak's
// interval nor its output span) and no exclusion interval.
#pragma once

#include <cstdint>
#include <vector>

#include "data/profile_windows.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::data {

struct BackgroundOptions {
  double ratio = 0.1;  // background windows per peak window of the split
  int gc_bins = 20;
  double max_n_fraction = 0.01;
};

class ProfileBackground {
 public:
  // Keeps references to genome and peaks (which must outlive it) and a copy of the rest.
  ProfileBackground(const io::IndexedFasta& genome, const PeakWindows& peaks, const std::vector<io::Region>& exclusion,
                    ProfileWindowOptions windows, BackgroundOptions options);

  // round(ratio * peak windows of the split) windows, sorted by chromosome and position; the same for the same
  // (seed, epoch, split) and different from epoch to epoch. InputError when the split's chromosomes cannot
  // hold that many. Const; safe to call from several threads (the genome serialises its reads).
  std::vector<ProfileWindow> for_epoch(uint64_t seed, uint64_t epoch, ProfileSplit split) const;

 private:
  const io::IndexedFasta& genome_;
  const PeakWindows& peaks_;
  std::vector<io::Region> avoid_;  // peaks and exclusion
  ProfileWindowOptions windows_;
  BackgroundOptions options_;
};

}  // namespace seqdl::data
