// The per-seqlet arrays every later stage of `seqdl motifs discover` works on, position-major
// ([position][A C G T], flattened), so that a track's reverse complement is the same array read backwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "motif/discover_input.hpp"
#include "motif/discover_seqlets.hpp"

namespace seqdl::motif {

struct SeqletTracks {
  int width = 0;                 // positions per seqlet
  size_t count = 0;
  std::vector<float> contribution;  // [count][width * 4] actual contributions
  std::vector<float> hypothetical;  // [count][width * 4]
  std::vector<uint8_t> bases;       // [count][width] 0..3 = A C G T, 4 = none (N, padding, soft encoding)
  std::vector<float> normalised;    // [count][width * 4] contribution / sum |contribution| (all 0 if that is 0)
  std::vector<double> total;        // [count] sum |contribution|

  size_t stride() const { return static_cast<size_t>(width) * 4; }
  const float* contribution_of(size_t i) const { return contribution.data() + i * stride(); }
  const float* hypothetical_of(size_t i) const { return hypothetical.data() + i * stride(); }
  const uint8_t* bases_of(size_t i) const { return bases.data() + i * static_cast<size_t>(width); }
  const float* normalised_of(size_t i) const { return normalised.data() + i * stride(); }
};

// Reads the seqlets' windows from the set (each row once; rows in parallel). Every seqlet must have the
// same width and lie inside its row.
SeqletTracks extract_tracks(const AttributionSet& set, const std::vector<Seqlet>& seqlets, int threads);

// Reverse complement of a position-major track of `values` floats: the array reversed.
void reverse_complement_track(const float* in, size_t values, float* out);

}  // namespace seqdl::motif
