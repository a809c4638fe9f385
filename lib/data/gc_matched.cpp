#include "data/gc_matched.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
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

// Window starts drawn uniformly over every contig long enough for a window (contigs in proportion to the
// number of windows they hold).
class WindowSampler {
 public:
  WindowSampler(const io::IndexedFasta& genome, int64_t window) {
    for (const auto& c : genome.contigs()) {
      if (c.length < window) continue;
      contigs_.push_back(&c);
      total_ += c.length - window + 1;
      cumulative_.push_back(total_);
    }
    if (contigs_.empty()) throw InputError("{}: no contig is long enough for {} bp windows", genome.path(), window);
  }

  // The contig's name (valid while the genome lives) and the window's start.
  std::pair<const std::string&, int64_t> draw(Rng& rng) const {
    auto pick = static_cast<int64_t>(rng.below(static_cast<uint64_t>(total_)));
    auto ci = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), pick) - cumulative_.begin());
    return {contigs_[ci]->name, pick - (ci == 0 ? 0 : cumulative_[ci - 1])};
  }

 private:
  std::vector<const io::Contig*> contigs_;
  std::vector<int64_t> cumulative_;
  int64_t total_ = 0;
};

// Negatives wanted per GC bin: the positives' histogram times the ratio, rounded per bin.
std::vector<int64_t> wanted_per_bin(const io::IndexedFasta& genome, const std::vector<io::Region>& positives,
                                    const GcMatchOptions& o) {
  std::vector<int64_t> wanted(static_cast<size_t>(o.bins), 0);
  for (const auto& p : positives) {
    wanted[bin_of(encode::gc_fraction(genome.fetch_padded(p.chrom, p.start, p.end)), o.bins)] += 1;
  }
  for (auto& w : wanted) w = static_cast<int64_t>(std::llround(static_cast<double>(w) * o.ratio));
  return wanted;
}

// The random search: windows outside `exclude` and apart from each other, with few N, go to `negatives` while
// their GC bin still wants some, and are kept as spares (at most as many per bin as are wanted in all) otherwise.
std::vector<std::vector<io::Region>> draw_negatives(const io::IndexedFasta& genome, const WindowSampler& sampler,
                                                   const std::vector<io::Region>& exclude, const GcMatchOptions& o,
                                                   std::vector<int64_t>& wanted, std::vector<io::Region>& negatives,
                                                   Rng& rng) {
  const int64_t target = std::accumulate(wanted.begin(), wanted.end(), int64_t{0});
  const IntervalIndex excluded(exclude);
  TakenWindows taken(o.window);
  std::vector<std::vector<io::Region>> spare(static_cast<size_t>(o.bins));
  int64_t attempts = o.attempts_per_negative * std::max<int64_t>(target, 1), accepted = 0;
  for (int64_t a = 0; a < attempts && accepted < target; ++a) {
    auto [chrom, start] = sampler.draw(rng);
    if (excluded.overlaps(chrom, start, start + o.window) || taken.overlaps(chrom, start)) continue;
    std::string seq = genome.fetch(chrom, start, start + o.window);
    if (n_fraction(seq) > o.max_n_fraction) continue;
    int b = bin_of(encode::gc_fraction(seq), o.bins);
    io::Region r{chrom, start, start + o.window, ""};
    if (wanted[b] > 0) {
      --wanted[b];
      ++accepted;
      negatives.push_back(r);
      taken.add(chrom, start);
    } else if (spare[b].size() < static_cast<size_t>(target)) {
      spare[b].push_back(r);  // kept apart from the others too: it may be borrowed below
      taken.add(chrom, start);
    }
  }
  return spare;
}

// Bins that could not be filled borrow from the nearest bins with spare candidates; returns how many.
uint64_t borrow_from_neighbours(std::vector<int64_t>& wanted, std::vector<std::vector<io::Region>>& spare,
                                std::vector<io::Region>& negatives) {
  uint64_t borrowed = 0;
  const auto bins = static_cast<int>(wanted.size());
  for (int b = 0; b < bins; ++b) {
    for (int d = 1; wanted[b] > 0 && d < bins; ++d) {
      for (int nb : {b - d, b + d}) {
        if (nb < 0 || nb >= bins) continue;
        while (wanted[b] > 0 && !spare[nb].empty()) {
          negatives.push_back(spare[nb].back());
          spare[nb].pop_back();
          --wanted[b];
          ++borrowed;
        }
      }
    }
  }
  return borrowed;
}

}  // namespace

GcMatchResult gc_matched_negatives(const io::IndexedFasta& genome, const std::vector<io::Region>& positives,
                                   const std::vector<io::Region>& exclude, const GcMatchOptions& o, Rng& rng) {
  GcMatchResult result;
  if (positives.empty()) return result;
  const WindowSampler sampler(genome, o.window);
  std::vector<int64_t> wanted = wanted_per_bin(genome, positives, o);
  const int64_t target = std::accumulate(wanted.begin(), wanted.end(), int64_t{0});
  auto spare = draw_negatives(genome, sampler, exclude, o, wanted, result.negatives, rng);
  result.from_neighbouring_bins = borrow_from_neighbours(wanted, spare, result.negatives);
  const int64_t missing = std::accumulate(wanted.begin(), wanted.end(), int64_t{0});
  if (missing > 0) {
    throw InputError("{}: found only {} of {} negative windows outside the positives; lower --negative-ratio",
                     genome.path(), target - missing, target);
  }
  return result;
}

}  // namespace seqdl::data
