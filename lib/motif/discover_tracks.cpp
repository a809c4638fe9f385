#include "motif/discover_tracks.hpp"

#include <cmath>
#include <stdexcept>

#include "util/threads.hpp"

namespace seqdl::motif {
namespace {

void normalise(SeqletTracks& t, size_t i) {
  const float* c = t.contribution_of(i);
  double total = 0;
  for (size_t k = 0; k < t.stride(); ++k) total += std::abs(c[k]);
  t.total[i] = total;
  float* out = t.normalised.data() + i * t.stride();
  for (size_t k = 0; k < t.stride(); ++k) out[k] = total > 0 ? static_cast<float>(c[k] / total) : 0.0f;
}

void allocate(SeqletTracks& t, int width, size_t count) {
  t.width = width;
  t.count = count;
  size_t values = count * t.stride();
  t.contribution.assign(values, 0);
  t.hypothetical.assign(values, 0);
  t.bases.assign(count * static_cast<size_t>(width), 4);
  t.normalised.assign(values, 0);
  t.total.assign(count, 0);
}

}  // namespace

void reverse_complement_track(const float* in, size_t values, float* out) {
  for (size_t k = 0; k < values; ++k) out[k] = in[values - 1 - k];
}

SeqletTracks extract_tracks(const AttributionSet& set, const std::vector<Seqlet>& seqlets, int threads) {
  SeqletTracks t;
  if (seqlets.empty()) return t;
  const int width = static_cast<int>(seqlets[0].end - seqlets[0].start);
  allocate(t, width, seqlets.size());
  // Seqlets grouped by row, so that each row is read once.
  std::vector<std::vector<size_t>> by_row(static_cast<size_t>(set.rows()));
  for (size_t i = 0; i < seqlets.size(); ++i) {
    const Seqlet& s = seqlets[i];
    if (s.end - s.start != width || s.start < 0 || s.end > set.length() || s.row < 0 || s.row >= set.rows()) {
      throw std::logic_error("extract_tracks: a seqlet outside its row or of another width");
    }
    by_row[static_cast<size_t>(s.row)].push_back(i);
  }
  const int64_t L = set.length();
  parallel_for(by_row.size(), threads, 64, [&](size_t begin, size_t end) {
    RowData row;
    std::vector<uint8_t> bases(static_cast<size_t>(L));
    for (size_t r = begin; r < end; ++r) {
      if (by_row[r].empty()) continue;
      set.read_row(static_cast<int64_t>(r), row);
      bases_of(row.onehot.data(), L, bases.data());
      for (size_t i : by_row[r]) {
        std::copy_n(bases.begin() + seqlets[i].start, width, t.bases.begin() + static_cast<std::ptrdiff_t>(i) * width);
        for (int p = 0; p < width; ++p) {
          int64_t pos = seqlets[i].start + p;
          for (int b = 0; b < 4; ++b) {
            size_t dst = i * t.stride() + static_cast<size_t>(p * 4 + b), src = static_cast<size_t>(b * L + pos);
            t.contribution[dst] = row.contribution[src];
            t.hypothetical[dst] = row.hypothetical[src];
          }
        }
        normalise(t, i);
      }
    }
  });
  return t;
}

}  // namespace seqdl::motif
