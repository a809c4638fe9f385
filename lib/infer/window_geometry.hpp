// Windows along a sequence, torch-free: how long they are, how far apart, which bases each one's outputs
// describe, and how the reverse-complement strand is combined. predict plans genome scans with it; variants runs
// REF/ALT windows with it.
#pragma once

#include <cstdint>

#include "util/choices.hpp"

namespace seqdl::infer {

struct WindowGeometry {
  int64_t window = 0;      // model input length
  int64_t step = 0;        // between consecutive window starts
  int64_t bin = 0;         // bases each window writes (the stride, or a per-position model's output length)
  int64_t bin_offset = 0;  // first written base relative to the window start
  bool pad = true;         // windows running off a contig end are N-padded (else skipped)
};

// Combining a window's outputs with those of its reverse complement (--rc).
enum class Strands { none, mean, max };
inline constexpr Choices<Strands, 3> kStrandChoices{
    {{"none", Strands::none}, {"mean", Strands::mean}, {"max", Strands::max}}};

}  // namespace seqdl::infer
