#include "data/gc_matched.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

// Sorted, merged intervals per chromosome, for overlap queries by binary search.
class IntervalIndex {
 public:
  explicit IntervalIndex(const std::vector<io::Region>& regions) {
    for (const auto& r : regions) by_chrom_[r.chrom].emplace_back(r.start, r.end);
    for (auto& [chrom, v] : by_chrom_) {
      std::sort(v.begin(), v.end());
      std::vector<std::pair<int64_t, int64_t>> merged;
      for (const auto& iv : v) {
        if (!merged.empty() && iv.first <= merged.back().second) {
          merged.back().second = std::max(merged.back().second, iv.second);
        } else {
          merged.push_back(iv);
        }
      }
      v = std::move(merged);
    }
  }
  bool overlaps(const std::string& chrom, int64_t start, int64_t end) const {
    auto it = by_chrom_.find(chrom);
    if (it == by_chrom_.end()) return false;
    const auto& v = it->second;
    auto after = std::upper_bound(v.begin(), v.end(), std::make_pair(start, INT64_MAX));
    if (after != v.end() && after->first < end) return true;
    return after != v.begin() && std::prev(after)->second > start;
  }

 private:
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> by_chrom_;
};

// Starts of the windows drawn so far (all of one length), per chromosome, so that no two overlap.
class TakenWindows {
 public:
  explicit TakenWindows(int64_t window) : window_(window) {}
  bool overlaps(const std::string& chrom, int64_t start) const {
    auto it = starts_.find(chrom);
    if (it == starts_.end()) return false;
    auto next = it->second.lower_bound(start - window_ + 1);  // the first start whose window could reach `start`
    return next != it->second.end() && *next < start + window_;
  }
  void add(const std::string& chrom, int64_t start) { starts_[chrom].insert(start); }

 private:
  int64_t window_;
  std::map<std::string, std::set<int64_t>> starts_;
};

int bin_of(double gc, int bins) { return std::min(bins - 1, static_cast<int>(gc * bins)); }

double n_fraction(const std::string& s) {
  size_t n = 0;
  for (char c : s) {
    uint8_t m = encode::kBaseMask[static_cast<uint8_t>(c)];
    n += !(m == 1 || m == 2 || m == 4 || m == 8);
  }
  return s.empty() ? 1.0 : static_cast<double>(n) / static_cast<double>(s.size());
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
    contigs.push_back(&c);
    total += c.length - o.window + 1;
    cumulative.push_back(total);
  }
  if (contigs.empty()) throw InputError("{}: no contig is long enough for {} bp windows", genome.path(), o.window);

  std::vector<int64_t> wanted(static_cast<size_t>(o.bins), 0);
  for (const auto& p : positives) {
    wanted[bin_of(encode::gc_fraction(genome.fetch_padded(p.chrom, p.start, p.end)), o.bins)] += 1;
  }
  int64_t target = 0;
  for (auto& w : wanted) {
    w = static_cast<int64_t>(std::llround(static_cast<double>(w) * o.ratio));
    target += w;
  }
  IntervalIndex excluded(exclude);
  TakenWindows taken(o.window);
  std::vector<std::vector<io::Region>> spare(static_cast<size_t>(o.bins));  // candidates for full bins
  int64_t attempts = o.attempts_per_negative * std::max<int64_t>(target, 1), accepted = 0;
  for (int64_t a = 0; a < attempts && accepted < target; ++a) {
    auto pick = static_cast<int64_t>(rng.below(static_cast<uint64_t>(total)));
    size_t ci = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
    int64_t start = pick - (ci == 0 ? 0 : cumulative[ci - 1]);
    const std::string& chrom = contigs[ci]->name;
    if (excluded.overlaps(chrom, start, start + o.window) || taken.overlaps(chrom, start)) continue;
    std::string seq = genome.fetch(chrom, start, start + o.window);
    if (n_fraction(seq) > o.max_n_fraction) continue;
    int b = bin_of(encode::gc_fraction(seq), o.bins);
    io::Region r{chrom, start, start + o.window, ""};
    if (wanted[b] > 0) {
      --wanted[b];
      ++accepted;
      result.negatives.push_back(r);
      taken.add(chrom, start);
    } else if (spare[b].size() < static_cast<size_t>(target)) {
      spare[b].push_back(r);  // kept apart from the others too: it may be borrowed below
      taken.add(chrom, start);
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
