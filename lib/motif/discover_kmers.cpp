#include "motif/discover_kmers.hpp"

#include <cmath>
#include <cstdint>

#include "util/error.hpp"
#include "util/threads.hpp"

namespace seqdl::motif {
namespace {

uint64_t mix(uint64_t z) {  // SplitMix64's finaliser: a well-spread hash of a k-mer's code
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void choose(int from, int left, int span, std::vector<int>& current, std::vector<std::vector<int>>& out) {
  if (left == 0) {
    out.push_back(current);
    return;
  }
  for (int p = from; p < span; ++p) {
    current.push_back(p);
    choose(p + 1, left - 1, span, current, out);
    current.pop_back();
  }
}

// Adds one orientation's gapped k-mers (track position-major, `bases` 0..3 or 4 = unknown).
void add_kmers(const float* contribution, const uint8_t* bases, int width, const std::vector<std::vector<int>>& patterns,
               int dims, float* out) {
  for (int p0 = 0; p0 < width; ++p0) {
    for (size_t g = 0; g < patterns.size(); ++g) {
      const std::vector<int>& pat = patterns[g];
      if (p0 + pat.back() >= width) continue;
      uint64_t code = g;
      float weight = 0;
      bool known = true;
      for (int off : pat) {
        uint8_t b = bases[p0 + off];
        if (b > 3) {
          known = false;
          break;
        }
        code = code * 4 + b;
        weight += contribution[4 * (p0 + off) + b];
      }
      if (!known) continue;
      uint64_t h = mix(code);
      out[h % static_cast<uint64_t>(dims)] += (h >> 63) ? -weight : weight;
    }
  }
}

}  // namespace

std::vector<std::vector<int>> gap_patterns(int k, int span) {
  std::vector<std::vector<int>> out;
  std::vector<int> current{0};
  choose(1, k - 1, span, current, out);
  return out;
}

std::vector<float> gapped_kmer_embedding(const SeqletTracks& t, const KmerOptions& o) {
  if (o.k < 1 || o.span < o.k || o.dims < 1) throw UsageError("gapped k-mers: need 1 <= k <= span and dims >= 1");
  const auto patterns = gap_patterns(o.k, o.span);
  const auto dims = static_cast<size_t>(o.dims);
  std::vector<float> out(t.count * dims, 0.0f);
  const int w = t.width;
  parallel_for(t.count, o.threads, 256, [&](size_t begin, size_t end) {
    std::vector<uint8_t> rc_bases(static_cast<size_t>(w));
    std::vector<float> rc(t.stride());
    for (size_t i = begin; i < end; ++i) {
      const float* c = t.contribution_of(i);
      const uint8_t* bases = t.bases_of(i);
      reverse_complement_track(c, t.stride(), rc.data());
      for (int p = 0; p < w; ++p) {
        uint8_t b = bases[w - 1 - p];
        rc_bases[static_cast<size_t>(p)] = b > 3 ? 4 : static_cast<uint8_t>(3 - b);
      }
      float* v = out.data() + i * dims;
      add_kmers(c, bases, w, patterns, o.dims, v);
      add_kmers(rc.data(), rc_bases.data(), w, patterns, o.dims, v);
      double norm = 0;
      for (size_t d = 0; d < dims; ++d) norm += static_cast<double>(v[d]) * v[d];
      if (norm > 0) {
        auto scale = static_cast<float>(1 / std::sqrt(norm));
        for (size_t d = 0; d < dims; ++d) v[d] *= scale;
      }
    }
  });
  return out;
}

}  // namespace seqdl::motif
