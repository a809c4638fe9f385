#include "data/gc_matched.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "data/interval_index.hpp"
#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

int bin_of(double gc, int bins) { return std::min(bins - 1, static_cast<int>(gc * bins)); }

double n_fraction(const std::string& s) {
  size_t n = 0;
  for (char c : s) {
    uint8_t m = encode::kBaseMask[static_cast<uint8_t>(c)];
    n += !(m == 1 || m == 2 || m == 4 || m == 8);
  }
  return s.empty() ? 1.0 : static_cast<double>(n) / static_cast<double>(s.size());
}

// Scales per-bin counts by ratio so that they add up to round(total * ratio), the remainder going to the
// bins with the largest fractional parts (rounding each bin alone loses every bin under 1 / (2 ratio) peaks,
// which at a ratio of 0.1 can be most of them). Returns the total.
int64_t allot_per_bin(std::vector<int64_t>& wanted, double ratio) {
  int64_t total = 0, given = 0;
  for (auto w : wanted) total += w;
  auto target = static_cast<int64_t>(std::llround(static_cast<double>(total) * ratio));
  std::vector<std::pair<double, size_t>> remainders;
  for (size_t b = 0; b < wanted.size(); ++b) {
    double exact = static_cast<double>(wanted[b]) * ratio;
    wanted[b] = static_cast<int64_t>(std::floor(exact));
    given += wanted[b];
    remainders.emplace_back(exact - std::floor(exact), b);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < target && k < remainders.size(); ++k, ++given) ++wanted[remainders[k].second];
  return target;
}

}  // namespace

GcMatchResult gc_matched_negatives(const io::IndexedFasta& genome, const std::vector<io::Region>& positives,
                                   const std::vector<io::Region>& exclude, const GcMatchOptions& o, Rng& rng) {
  GcMatchResult result;
  if (positives.empty()) return result;
  // Contigs long enough for a window, chosen in proportion to their usable length.
  std::vector<const io::Contig*> contigs;
  std::vector<int64_t> cumulative;
  int64_t total = 0;
  for (const auto& c : genome.contigs()) {
    if (c.length < o.window) continue;
    if (!o.chroms.empty() && std::find(o.chroms.begin(), o.chroms.end(), c.name) == o.chroms.end()) continue;
    contigs.push_back(&c);
    total += c.length - o.window + 1;
    cumulative.push_back(total);
  }
  if (contigs.empty()) throw InputError("{}: no contig is long enough for {} bp windows", genome.path(), o.window);

  std::vector<int64_t> wanted(static_cast<size_t>(o.bins), 0);
  for (const auto& p : positives) {
    wanted[bin_of(encode::gc_fraction(genome.fetch_padded(p.chrom, p.start, p.end)), o.bins)] += 1;
  }
  int64_t target = allot_per_bin(wanted, o.ratio);
  IntervalIndex excluded(exclude);
  std::map<std::pair<std::string, int64_t>, bool> used;
  std::vector<std::vector<io::Region>> spare(static_cast<size_t>(o.bins));  // candidates for full bins
  int64_t attempts = o.attempts_per_negative * std::max<int64_t>(target, 1), accepted = 0;
  for (int64_t a = 0; a < attempts && accepted < target; ++a) {
    auto pick = static_cast<int64_t>(rng.below(static_cast<uint64_t>(total)));
    size_t ci = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
    int64_t start = pick - (ci == 0 ? 0 : cumulative[ci - 1]);
    const std::string& chrom = contigs[ci]->name;
    if (excluded.overlaps(chrom, start, start + o.window) || used.count({chrom, start})) continue;
    std::string seq = genome.fetch(chrom, start, start + o.window);
    if (n_fraction(seq) > o.max_n_fraction) continue;
    int b = bin_of(encode::gc_fraction(seq), o.bins);
    io::Region r{chrom, start, start + o.window, ""};
    used[{chrom, start}] = true;
    if (wanted[b] > 0) {
      --wanted[b];
      ++accepted;
      result.negatives.push_back(r);
    } else if (spare[b].size() < static_cast<size_t>(target)) {
      spare[b].push_back(r);
    }
  }
  // Bins that could not be filled borrow from the nearest bins with spare candidates.
  for (int b = 0; b < o.bins; ++b) {
    for (int d = 1; wanted[b] > 0 && d < o.bins; ++d) {
      for (int nb : {b - d, b + d}) {
        if (nb < 0 || nb >= o.bins) continue;
        while (wanted[b] > 0 && !spare[nb].empty()) {
          result.negatives.push_back(spare[nb].back());
          spare[nb].pop_back();
          --wanted[b];
          ++result.from_neighbouring_bins;
        }
      }
    }
  }
  int64_t missing = 0;
  for (auto w : wanted) missing += w;
  if (missing > 0) {
    throw InputError("{}: found only {} of {} negative windows outside the positives; lower --negative-ratio",
                     genome.path(), target - missing, target);
  }
  return result;
}

}  // namespace seqdl::data
