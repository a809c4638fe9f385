#include "variants/splice_scores.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace seqdl::variants {
namespace {

// The running maximum of one score and the r where it was first reached.
struct Best {
  float value = -std::numeric_limits<float>::infinity();
  int64_t r = 0;
  void offer(float v, int64_t at) {
    if (v > value) {
      value = v;
      r = at;
    }
  }
  float result() const { return std::isfinite(value) ? value : 0.0f; }
};

}  // namespace

SpliceDeltas splice_deltas(ClassOutputs acceptor, ClassOutputs donor, int64_t positions, int64_t offset,
                           const AlleleLayout& l, int64_t distance,
                           const std::function<data::SiteClass(int64_t)>& annotated) {
  Best ag, al, dg, dl;
  for (int64_t r = -distance; r <= distance; ++r) {
    const int64_t g = l.pos + r;
    int64_t ir = l.ref_index(g), ia = l.alt_index(g);
    if (ir < 0 || ia < 0) continue;
    ir -= offset;
    ia -= offset;
    if (ir < 0 || ir >= positions || ia < 0 || ia >= positions) continue;
    float a_gain = acceptor.alt[ia] - acceptor.ref[ir], d_gain = donor.alt[ia] - donor.ref[ir];
    float a_loss = -a_gain, d_loss = -d_gain;
    if (annotated) {
      const data::SiteClass site = annotated(g);
      // Gains only of unannotated sites, losses only of annotated ones (Pangolin): the others capped at 0.
      if (site == data::SiteClass::acceptor) {
        a_gain = std::min(a_gain, 0.0f);
      } else {
        a_loss = std::min(a_loss, 0.0f);
      }
      if (site == data::SiteClass::donor) {
        d_gain = std::min(d_gain, 0.0f);
      } else {
        d_loss = std::min(d_loss, 0.0f);
      }
    }
    ag.offer(a_gain, r);
    al.offer(a_loss, r);
    dg.offer(d_gain, r);
    dl.offer(d_loss, r);
  }
  return {ag.result(), al.result(), dg.result(), dl.result(), ag.r, al.r, dg.r, dl.r};
}

std::string splice_info_entry(const std::string& allele, const std::string& symbol, const SpliceDeltas& d) {
  std::string name = symbol;  // the entry's separators and what a VCF value cannot hold become '_'
  for (char& c : name) {
    if (c == '|' || c == ',' || c == ';' || c == '=' || c == ' ' || c == '\t') c = '_';
  }
  return fmt::format("{}|{}|{:.2f}|{:.2f}|{:.2f}|{:.2f}|{}|{}|{}|{}", allele, name, d.acceptor_gain, d.acceptor_loss,
                     d.donor_gain, d.donor_loss, d.acceptor_gain_pos, d.acceptor_loss_pos, d.donor_gain_pos,
                     d.donor_loss_pos);
}

}  // namespace seqdl::variants
