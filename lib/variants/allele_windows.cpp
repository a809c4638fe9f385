#include "variants/allele_windows.hpp"

#include <cmath>
#include <limits>

namespace seqdl::variants {

int64_t AlleleLayout::alt_kept() const { return std::min(alt_len, window - centre()); }

int64_t AlleleLayout::right_len() const { return std::max<int64_t>(0, window - centre() - alt_len); }

int64_t AlleleLayout::ref_index(int64_t g) const {
  int64_t i = g - start;
  return i >= 0 && i < window ? i : -1;
}

int64_t AlleleLayout::alt_index(int64_t g) const {
  int64_t i = g - start;
  if (g >= pos + std::min(ref_len, alt_len)) {
    if (g < pos + ref_len) return -1;  // deleted
    i += alt_len - ref_len;
  }
  return i >= 0 && i < window ? i : -1;
}

AlleleLayout allele_layout(int64_t pos, int64_t ref_len, int64_t alt_len, int64_t window) {
  AlleleLayout l;
  l.window = window;
  l.pos = pos;
  l.start = pos - centre_index(window);
  l.ref_len = ref_len;
  l.alt_len = alt_len;
  return l;
}

AlleleWindows allele_windows(const io::IndexedFasta& genome, const io::VariantAllele& allele, int64_t window) {
  AlleleLayout l = allele_layout(allele.pos, static_cast<int64_t>(allele.ref.size()),
                                 static_cast<int64_t>(allele.alt.size()), window);
  return allele_windows(l, allele.alt, genome.length(allele.chrom),
                        [&](int64_t s, int64_t e) { return genome.fetch_padded(allele.chrom, s, e); });
}

int64_t max_distance(int64_t window, int64_t positions, int64_t offset) {
  int64_t centre = centre_index(window) - offset;  // output index of the variant's first base
  return std::min(centre, positions - 1 - centre);
}

DeltaScores delta_scores(const float* ref, const float* alt, int64_t positions, int64_t offset, const AlleleLayout& l,
                         int64_t distance) {
  DeltaScores d;
  float best_gain = -std::numeric_limits<float>::infinity(), best_loss = best_gain;
  for (int64_t r = -distance; r <= distance; ++r) {
    int64_t g = l.pos + r;
    int64_t ir = l.ref_index(g), ia = l.alt_index(g);
    if (ir < 0 || ia < 0) continue;
    ir -= offset;
    ia -= offset;
    if (ir < 0 || ir >= positions || ia < 0 || ia >= positions) continue;
    float gain = alt[ia] - ref[ir], loss = ref[ir] - alt[ia];
    if (gain > best_gain) {
      best_gain = gain;
      d.gain_pos = r;
    }
    if (loss > best_loss) {
      best_loss = loss;
      d.loss_pos = r;
    }
  }
  if (std::isfinite(best_gain)) d.gain = best_gain;
  if (std::isfinite(best_loss)) d.loss = best_loss;
  return d;
}

float log2_ratio(float ref, float alt) {
  return static_cast<float>(std::log2((static_cast<double>(alt) + kLog2Epsilon) / (static_cast<double>(ref) + kLog2Epsilon)));
}

}  // namespace seqdl::variants
