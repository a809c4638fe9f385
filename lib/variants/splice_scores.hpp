// SpliceAI's four delta scores of a variant allele on one gene strand, with Pangolin's masking, and the SpliceAI-style
// INFO entry they are written as. Torch-free.
//
// The model's acceptor and donor outputs on the REF and ALT windows (allele_windows.hpp's layout; on a '-' gene the
// windows are run reverse-complemented and the outputs flipped back, so they are in genome order here) are compared at
// genome positions g = POS + r, -distance <= r <= distance, that both windows hold as outputs:
//   DS_AG = max (ALT - REF) of the acceptor,  DS_AL = max (REF - ALT) of the acceptor, DS_DG / DS_DL for the donor,
// and DP_* = the r of each maximum (the first in genome order on ties), so positions are genomic offsets from POS
// whatever the gene's strand, as SpliceAI writes them. Like SpliceAI, the scores are not clipped at 0.
//
// Masking (Pangolin's option): a gain counts only where the gene's strand has no annotated site of that class, and a
// loss only where it has one: elsewhere the position's value is capped at 0 before the maximum is taken.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "data/splice_sites.hpp"
#include "variants/allele_windows.hpp"

namespace seqdl::variants {

struct SpliceDeltas {
  float acceptor_gain = 0, acceptor_loss = 0, donor_gain = 0, donor_loss = 0;
  int64_t acceptor_gain_pos = 0, acceptor_loss_pos = 0, donor_gain_pos = 0, donor_loss_pos = 0;
};

// One class's REF and ALT outputs: `positions` values each, output p describing window index offset + p.
struct ClassOutputs {
  const float* ref = nullptr;
  const float* alt = nullptr;
};

// `annotated(g)`: the annotated site class of genome position g on the gene's strand; empty: no masking.
SpliceDeltas splice_deltas(ClassOutputs acceptor, ClassOutputs donor, int64_t positions, int64_t offset,
                           const AlleleLayout& layout, int64_t distance,
                           const std::function<data::SiteClass(int64_t)>& annotated = {});

// SpliceAI's entry: ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL, the scores with two decimals.
std::string splice_info_entry(const std::string& allele, const std::string& symbol, const SpliceDeltas& d);
inline constexpr const char* kSpliceInfoFormat = "ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL";

}  // namespace seqdl::variants
