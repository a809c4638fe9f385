// Windows for base-resolution profile models (BPNet, ChromBPNet): an input span of sequence and, centred in
// it, a shorter output span whose per-base counts the model predicts (BPNet: 2114 in, 1000 out). Peak windows
// are centred on summits; background windows are GC-matched genome windows drawn per epoch
// (profile_background.hpp); examples are fetched with room for jitter and cut (profile_examples.hpp).
//
// Geometry: for a centre c, input = [c - in/2, c - in/2 + in) and output = [c - out/2, c - out/2 + out)
// (integer halves), so the output starts in/2 - out/2 bases into the input. A window is kept only when its
// input widened by max_jitter on both sides lies inside its contig and overlaps no exclusion interval.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"
#include "io/region.hpp"

namespace seqdl::data {

struct ProfileWindowOptions {
  int64_t input_length = 2114;
  int64_t output_length = 1000;  // <= input_length
  int64_t max_jitter = 0;        // the largest shift jitter augmentation may ask for
  std::vector<std::string> valid_chroms, test_chroms;  // whole-chromosome splits; the rest is train
};

enum class ProfileSplit : uint8_t { train = 0, valid = 1, test = 2 };
enum class WindowKind : uint8_t { peak, background };
const char* split_name(ProfileSplit split);

struct ProfileWindow {
  std::string chrom;
  int64_t centre = 0;  // the summit for a peak
  std::string id;      // the peak's name, or chrom:centre (1-based) when it has none
  WindowKind kind = WindowKind::peak;
  ProfileSplit split = ProfileSplit::train;

  io::Region input(const ProfileWindowOptions& o, int64_t offset = 0) const;   // shifted by offset
  io::Region output(const ProfileWindowOptions& o, int64_t offset = 0) const;
  io::Region fetch_span(const ProfileWindowOptions& o) const;  // the input widened by max_jitter
};

struct PeakWindows {
  std::vector<ProfileWindow> windows;  // kept peaks, in file order
  std::vector<io::Region> avoid;       // every peak's interval and output span: what background must not touch
  uint64_t peaks = 0;                  // records read
  uint64_t off_contig_end = 0;         // skipped: the window runs off its contig
  uint64_t excluded = 0;               // skipped: the window overlaps the exclusion BED
  uint64_t missing_contig = 0;         // skipped: on a contig the genome lacks
  uint64_t without_summit = 0;         // narrowPeak summit -1: centred on the interval's midpoint instead
  uint64_t count(ProfileSplit split) const;
};

// Checks the options against the genome: lengths, jitter, split chromosomes that exist and are not in both
// lists. UsageError naming the option.
void check_profile_options(const io::IndexedFasta& genome, const ProfileWindowOptions& o);

// The split of a chromosome under the options.
ProfileSplit split_of(const std::string& chrom, const ProfileWindowOptions& o);

// Peak windows from a narrowPeak/regionPeak (summit = start + column 10; -1: the midpoint) or a BED of summits
// (1-bp records: the base itself; wider records: their midpoint). A summit outside its peak is a FormatError
// naming file:line; an empty file is an InputError. `exclusion` is usually read_exclusion()'s result.
PeakWindows read_peak_windows(const io::IndexedFasta& genome, const std::string& peaks,
                              const std::vector<io::Region>& exclusion, const ProfileWindowOptions& o);

// The intervals of an exclusion BED (blacklist); empty for an empty path.
std::vector<io::Region> read_exclusion(const std::string& path);

// Logs how many peaks were kept per split and every reason for skipping ("N peaks skipped: window runs off
// contig end").
void log_peak_windows(const PeakWindows& peaks, const std::string& path);

}  // namespace seqdl::data
