// The REF and ALT windows of a variant allele, and how their positions line up with the genome. Torch-free.
//
// The window rule (W = the model's input length, c = W / 2, p = the 0-based position of the allele's first
// REF base, i.e. VCF POS - 1):
//
//   REF window = genome[p - c, p - c + W)
//   ALT window = genome[p - c, p)  +  ALT  +  genome[p + len(REF), ...)   cut to W bases
//
// The variant's first base sits at window index c in both windows, and the c bases to its left are the same
// genomic bases in both. Right of the allele, the ALT window continues with the genome after the REF allele,
// so a deletion extends it further into the genome and an insertion pushes the far (right) end out: the
// window length stays W. An ALT allele longer than W - c bases is itself cut at the window's end. Bases
// outside the contig are N (the window is "padded"); an SNV's two windows differ in index c only.
//
// Genome positions map to window indices as follows. In the REF window, genome position g is index g - (p - c).
// In the ALT window, with m = min(len(REF), len(ALT)):
//   g < p + m                  same index as in REF (left flank and the substituted bases)
//   p + m <= g < p + len(REF)  none: deleted bases (only when REF is longer than ALT)
//   g >= p + len(REF)          the REF index + len(ALT) - len(REF) (the right flank, shifted)
// and the inserted ALT bases (indices c + len(REF) .. c + len(ALT) - 1 when ALT is longer) have no genome
// position. Per-position (SpliceAI-like) scores compare REF and ALT on genome positions that both windows hold.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "io/indexed_fasta.hpp"
#include "io/vcf.hpp"

namespace seqdl::variants {

// Window index of the variant's first base: W / 2 (for even W, the first base right of the middle).
inline int64_t centre_index(int64_t window) { return window / 2; }

struct AlleleLayout {
  int64_t window = 0;   // W
  int64_t pos = 0;      // genome position of the allele's first base (0-based)
  int64_t start = 0;    // genome position of window index 0: pos - W / 2 (negative near a contig start)
  int64_t ref_len = 0;  // REF allele length (>= 1)
  int64_t alt_len = 0;  // ALT allele length (>= 1)

  int64_t centre() const { return pos - start; }
  // ALT bases that fit in the ALT window, and the genome bases that follow them: [right_start, right_start + right_len).
  int64_t alt_kept() const;
  int64_t right_start() const { return pos + ref_len; }
  int64_t right_len() const;
  // Window index of genome position g, or -1 when the window does not hold it.
  int64_t ref_index(int64_t g) const;
  int64_t alt_index(int64_t g) const;
};

AlleleLayout allele_layout(int64_t pos, int64_t ref_len, int64_t alt_len, int64_t window);

struct AlleleWindows {
  std::string ref, alt;
  bool padded = false;  // a window runs off a contig end (N bases added)
};

// Both windows of an allele on a contig of `contig_length` bases, with `fetch(start, end)` returning the
// contig's bases of [start, end), N where the interval leaves the contig. The genome's own bases form the REF
// window (they equal the VCF's REF unless it mismatches).
template <class Fetch>
AlleleWindows allele_windows(const AlleleLayout& l, const std::string& alt, int64_t contig_length, Fetch&& fetch) {
  AlleleWindows w;
  w.ref = fetch(l.start, l.start + l.window);
  w.alt.reserve(static_cast<size_t>(l.window));
  w.alt.append(w.ref, 0, static_cast<size_t>(l.centre()));
  w.alt.append(alt, 0, static_cast<size_t>(l.alt_kept()));
  // The right flank starts inside the REF window unless the REF allele reaches past it (large deletions).
  int64_t in_ref = std::clamp<int64_t>(l.window - l.centre() - l.ref_len, 0, l.right_len());
  if (in_ref > 0) w.alt.append(w.ref, static_cast<size_t>(l.centre() + l.ref_len), static_cast<size_t>(in_ref));
  if (l.right_len() > in_ref) w.alt += fetch(l.right_start() + in_ref, l.right_start() + l.right_len());
  int64_t alt_end = l.right_start() + l.right_len();
  w.padded = l.start < 0 || l.start + l.window > contig_length || alt_end > contig_length;
  return w;
}

// The same from an indexed genome (the allele's contig must be in it).
AlleleWindows allele_windows(const io::IndexedFasta& genome, const io::VariantAllele& allele, int64_t window);

// Largest --distance a per-position model allows: every REF position within the distance of the variant's
// first base must be an output position. `offset` is the window index of output position 0.
int64_t max_distance(int64_t window, int64_t positions, int64_t offset);

// SpliceAI's delta scores of one task: over genome positions g = pos + r, -distance <= r <= distance, that both
// windows hold as outputs, the largest increase (alt - ref) and the largest decrease (ref - alt) and their r
// (the first in genome order on ties). Like SpliceAI, neither is clipped at 0.
struct DeltaScores {
  float gain = 0, loss = 0;
  int64_t gain_pos = 0, loss_pos = 0;
};
DeltaScores delta_scores(const float* ref, const float* alt, int64_t positions, int64_t offset, const AlleleLayout& l,
                         int64_t distance);

// log2(alt / ref) of probabilities with an epsilon that keeps zeros finite: log2((alt + e) / (ref + e)).
inline constexpr double kLog2Epsilon = 1e-6;
float log2_ratio(float ref, float alt);

}  // namespace seqdl::variants
