#include "data/gc_matched.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "data/interval_index.hpp"
#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

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
  WindowSampler(const io::IndexedFasta& genome, int64_t window, const std::vector<std::string>& chroms) {
    for (const auto& c : genome.contigs()) {
      if (c.length < window) continue;
      if (!chroms.empty() && std::find(chroms.begin(), chroms.end(), c.name) == chroms.end()) continue;
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

// Scales per-bin counts by ratio so that they add up to round(total * ratio), the remainder going to the
// bins with the largest fractional parts (rounding each bin alone loses every bin under 1 / (2 ratio) peaks,
// which at a ratio of 0.1 can be most of them).
void allot_per_bin(std::vector<int64_t>& wanted, double ratio) {
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
}

// Negatives wanted per GC bin: the positives' histogram times the ratio (allot_per_bin).
std::vector<int64_t> wanted_per_bin(const io::IndexedFasta& genome, const std::vector<io::Region>& positives,
                                    const GcMatchOptions& o) {
  std::vector<int64_t> wanted(static_cast<size_t>(o.bins), 0);
  for (const auto& p : positives) {
    wanted[bin_of(encode::gc_fraction(genome.fetch_padded(p.chrom, p.start, p.end)), o.bins)] += 1;
  }
  allot_per_bin(wanted, o.ratio);
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
  const WindowSampler sampler(genome, o.window, o.chroms);
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
