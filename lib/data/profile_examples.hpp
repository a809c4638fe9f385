// Training examples of profile models: a window's input bases and the observed per-strand counts over its
// output span (and the control's, when there is one), fetched once with room for jitter and then cut at an
// offset; reverse-complement augmentation. The pure functions here (cut, reverse_complement, draw_jitter)
// hold the augmentation rules the trainer applies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/profile_windows.hpp"
#include "io/coverage_store.hpp"
#include "io/indexed_fasta.hpp"
#include "util/random.hpp"

namespace seqdl::data {

struct ProfileExample {
  std::string bases;            // input_length + 2 * margin base codes, as in the genome (encode/bases.hpp)
  std::vector<float> counts;    // [strands, output_length + 2 * margin], row-major: + then - (or one combined row)
  std::vector<float> control;   // [control_strands, output_length + 2 * margin]; empty without a control
  int strands = 0, control_strands = 0;
  int64_t margin = 0;           // bases on each side beyond the window (max_jitter for a fetched span, 0 once cut)

  int64_t output_length() const { return strands > 0 ? static_cast<int64_t>(counts.size()) / strands : 0; }
};

class ProfileFetcher {
 public:
  // Keeps references (they must outlive the fetcher); control may be null.
  ProfileFetcher(const io::IndexedFasta& genome, const io::CoverageStore& counts, const io::CoverageStore* control,
                 ProfileWindowOptions options);

  // The window's fetch span: bases of the input widened by max_jitter, counts (and control) of the output
  // widened by max_jitter; margin = max_jitter. Windows from read_peak_windows / ProfileBackground always fit
  // their contig. Safe to call from several threads.
  ProfileExample fetch(const ProfileWindow& window) const;

  const ProfileWindowOptions& options() const { return options_; }

 private:
  const io::IndexedFasta& genome_;
  const io::CoverageStore& counts_;
  const io::CoverageStore* control_;
  ProfileWindowOptions options_;
};

// The example shifted by offset bases (-margin <= offset <= margin): both the input and the output move, as if
// the window's centre were centre + offset. The result has margin 0. UsageError when |offset| > margin.
ProfileExample cut(const ProfileExample& span, int64_t offset);

// Reverse complement in place: bases reverse-complemented, every profile row reversed, and the + and - rows
// swapped (counts and control) when the example has both strands. The output stays centred in the input
// exactly when input_length - output_length is even (BPNet's 2114 - 1000 is).
void reverse_complement(ProfileExample& example);

// A jitter offset uniform in [-max_jitter, max_jitter].
int64_t draw_jitter(Rng& rng, int64_t max_jitter);

}  // namespace seqdl::data
