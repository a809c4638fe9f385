#include "motif/discover_patterns.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace seqdl::motif {
namespace {

// A member's values at its position p (0..width-1) and channel b, in the placed orientation.
inline size_t placed_index(size_t stride, int p, int b, bool reverse) {
  size_t k = static_cast<size_t>(p * 4 + b);
  return reverse ? stride - 1 - k : k;
}

// Trimming steps 1-3 (see the header): the kept range [first, last) of the untrimmed pattern.
std::pair<int, int> trimmed_range(const Pattern& p, size_t members, const PatternOptions& o) {
  auto mass = [&](int q) {
    double s = 0;
    for (int b = 0; b < 4; ++b) s += std::abs(p.cwm[static_cast<size_t>(q * 4 + b)]);
    return s;
  };
  auto supported = [&](int q) {
    return static_cast<double>(p.coverage[static_cast<size_t>(q)]) >= o.min_support * static_cast<double>(members);
  };
  double top = 0;
  for (int q = 0; q < p.width; ++q) {
    if (supported(q)) top = std::max(top, mass(q));
  }
  int first = p.width, last = 0;
  std::vector<double> ic = position_ic(p);
  for (int q = 0; q < p.width; ++q) {
    if (supported(q) && ic[static_cast<size_t>(q)] >= o.trim_ic && mass(q) >= o.trim_fraction * top) {
      first = std::min(first, q);
      last = q + 1;
    }
  }
  if (first >= last) return {0, 0};
  if (last - first > o.max_width) {
    double window = 0, best = -1;
    int best_start = first;
    for (int q = first; q < last; ++q) {
      window += mass(q);
      if (q - first >= o.max_width) window -= mass(q - o.max_width);
      if (q - first + 1 >= o.max_width && window > best + 1e-12) {
        best = window;
        best_start = q - o.max_width + 1;
      }
    }
    first = best_start;
    last = best_start + o.max_width;
  }
  return {first, last};
}

template <class T>
std::vector<T> slice(const std::vector<T>& v, int first, int last, int per_position) {
  return std::vector<T>(v.begin() + first * per_position, v.begin() + last * per_position);
}

}  // namespace

std::vector<Member> align_to_running_sum(const SeqletTracks& t, std::vector<uint32_t> seqlets, double overlap_fraction) {
  std::vector<Member> members;
  if (seqlets.empty()) return members;
  std::stable_sort(seqlets.begin(), seqlets.end(), [&](uint32_t a, uint32_t b) {
    return t.total[a] != t.total[b] ? t.total[a] > t.total[b] : a < b;
  });
  const int w = t.width;
  const int shift = w - min_overlap(w, w, overlap_fraction);
  const int frame = w + 2 * shift;
  const size_t stride = t.stride();
  std::vector<double> sum(static_cast<size_t>(frame) * 4, 0.0);
  std::vector<float> x(sum.size()), rc(stride);
  auto add = [&](uint32_t s, int offset, bool reverse) {
    const float* y = t.normalised_of(s);
    for (int p = 0; p < w; ++p) {
      for (int b = 0; b < 4; ++b) sum[static_cast<size_t>((offset + p) * 4 + b)] += y[placed_index(stride, p, b, reverse)];
    }
  };
  members.push_back({seqlets[0], shift, false, 1.0});
  add(seqlets[0], shift, false);
  for (size_t i = 1; i < seqlets.size(); ++i) {
    double total = 0;
    for (double v : sum) total += std::abs(v);
    for (size_t k = 0; k < sum.size(); ++k) x[k] = total > 0 ? static_cast<float>(sum[k] / total) : 0.0f;
    uint32_t s = seqlets[i];
    reverse_complement_track(t.normalised_of(s), stride, rc.data());
    // Full containment in the frame: offsets 0..2 shift.
    Placement p = best_placement(x.data(), frame, total > 0 ? 1.0 : 0.0, t.normalised_of(s), rc.data(), w,
                                 t.total[s] > 0 ? 1.0 : 0.0, w);
    members.push_back({s, p.offset, p.reverse, p.similarity});
    add(s, p.offset, p.reverse);
  }
  return members;
}

Pattern build_pattern(const SeqletTracks& t, const std::vector<Member>& members, const PatternOptions& o) {
  Pattern p;
  if (members.empty()) return p;
  const int w = t.width;
  int lo = members[0].offset, hi = members[0].offset + w;
  for (const Member& m : members) {
    lo = std::min(lo, m.offset);
    hi = std::max(hi, m.offset + w);
  }
  p.width = hi - lo;
  const auto values = static_cast<size_t>(p.width) * 4;
  std::vector<double> cwm(values, 0), hyp(values, 0), counts(values, 0);
  p.coverage.assign(static_cast<size_t>(p.width), 0);
  const size_t stride = t.stride();
  for (const Member& m : members) {
    const float* c = t.contribution_of(m.seqlet);
    const float* h = t.hypothetical_of(m.seqlet);
    const uint8_t* bases = t.bases_of(m.seqlet);
    for (int q = 0; q < w; ++q) {
      int at = m.offset - lo + q;
      ++p.coverage[static_cast<size_t>(at)];
      for (int b = 0; b < 4; ++b) {
        size_t src = placed_index(stride, q, b, m.reverse), dst = static_cast<size_t>(at * 4 + b);
        cwm[dst] += c[src];
        hyp[dst] += h[src];
      }
      uint8_t base = bases[m.reverse ? w - 1 - q : q];
      if (base < 4) counts[static_cast<size_t>(at * 4 + (m.reverse ? 3 - base : base))] += 1;
    }
  }
  p.cwm.assign(values, 0);
  p.hypothetical.assign(values, 0);
  p.ppm.assign(values, 0.25);
  for (int q = 0; q < p.width; ++q) {
    double cover = p.coverage[static_cast<size_t>(q)], known = 0;
    for (int b = 0; b < 4; ++b) known += counts[static_cast<size_t>(q * 4 + b)];
    for (int b = 0; b < 4; ++b) {
      auto k = static_cast<size_t>(q * 4 + b);
      if (cover > 0) {
        p.cwm[k] = cwm[k] / cover;
        p.hypothetical[k] = hyp[k] / cover;
      }
      if (known > 0) p.ppm[k] = counts[k] / known;
    }
  }
  auto [first, last] = trimmed_range(p, members.size(), o);
  p.cwm = slice(p.cwm, first, last, 4);
  p.hypothetical = slice(p.hypothetical, first, last, 4);
  p.ppm = slice(p.ppm, first, last, 4);
  p.coverage = slice(p.coverage, first, last, 1);
  p.width = last - first;
  p.members = members;
  for (Member& m : p.members) m.offset -= lo + first;
  return p;
}

std::vector<float> normalised_cwm(const Pattern& p, bool reverse) {
  double total = 0;
  for (double v : p.cwm) total += std::abs(v);
  std::vector<float> out(p.cwm.size());
  for (size_t k = 0; k < out.size(); ++k) {
    double v = total > 0 ? p.cwm[reverse ? out.size() - 1 - k : k] / total : 0.0;
    out[k] = static_cast<float>(v);
  }
  return out;
}

Member place_on_pattern(const std::vector<float>& cwm, int width, const SeqletTracks& t, uint32_t seqlet,
                        double overlap_fraction) {
  std::vector<float> rc(t.stride());
  reverse_complement_track(t.normalised_of(seqlet), t.stride(), rc.data());
  Placement p = best_placement(cwm.data(), width, 1.0, t.normalised_of(seqlet), rc.data(), t.width,
                               t.total[seqlet] > 0 ? 1.0 : 0.0, min_overlap(width, t.width, overlap_fraction));
  return {seqlet, p.offset, p.reverse, p.similarity};
}

Placement pattern_similarity(const Pattern& a, const Pattern& b, double overlap_fraction) {
  if (a.width == 0 || b.width == 0) return {};
  std::vector<float> x = normalised_cwm(a), y = normalised_cwm(b), y_rc = normalised_cwm(b, true);
  return best_placement(x.data(), a.width, 1.0, y.data(), y_rc.data(), b.width, 1.0,
                        min_overlap(a.width, b.width, overlap_fraction));
}

std::vector<Member> members_on(const Pattern& b, const Placement& placement, int seqlet_width) {
  std::vector<Member> out = b.members;
  for (Member& m : out) {
    if (placement.reverse) {
      m.offset = placement.offset + b.width - seqlet_width - m.offset;
      m.reverse = !m.reverse;
    } else {
      m.offset += placement.offset;
    }
  }
  return out;
}

std::vector<double> position_ic(const Pattern& p) {
  std::vector<double> ic(static_cast<size_t>(p.width), 2.0);
  for (int q = 0; q < p.width; ++q) {
    for (int b = 0; b < 4; ++b) {
      double f = p.ppm[static_cast<size_t>(q * 4 + b)];
      if (f > 0) ic[static_cast<size_t>(q)] += f * std::log2(f);
    }
  }
  return ic;
}

Motif pattern_motif(const Pattern& p, std::string id, std::string name) {
  Motif m;
  m.id = std::move(id);
  m.name = std::move(name);
  for (int q = 0; q < p.width; ++q) {
    Column c{};
    for (int b = 0; b < 4; ++b) c[static_cast<size_t>(b)] = p.ppm[static_cast<size_t>(q * 4 + b)];
    m.rows.push_back(c);
  }
  m.nsites = static_cast<double>(p.members.size());
  return m;
}

}  // namespace seqdl::motif
