#include "data/profile_background.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "data/gc_matched.hpp"
#include "util/random.hpp"

namespace seqdl::data {

ProfileBackground::ProfileBackground(const io::IndexedFasta& genome, const PeakWindows& peaks,
                                     const std::vector<io::Region>& exclusion, ProfileWindowOptions windows,
                                     BackgroundOptions options)
    : genome_(genome), peaks_(peaks), windows_(std::move(windows)), options_(options) {
  avoid_ = peaks.avoid;
  avoid_.insert(avoid_.end(), exclusion.begin(), exclusion.end());
}

std::vector<ProfileWindow> ProfileBackground::for_epoch(uint64_t seed, uint64_t epoch, ProfileSplit split) const {
  std::vector<io::Region> positives;
  for (const auto& w : peaks_.windows) {
    if (w.split == split) positives.push_back(w.fetch_span(windows_));
  }
  std::vector<ProfileWindow> result;
  if (positives.empty() || options_.ratio <= 0) return result;
  GcMatchOptions o;
  o.window = windows_.input_length + 2 * windows_.max_jitter;
  o.ratio = options_.ratio;
  o.bins = options_.gc_bins;
  o.max_n_fraction = options_.max_n_fraction;
  for (const auto& c : genome_.contigs()) {
    if (split_of(c.name, windows_) == split) o.chroms.push_back(c.name);
  }
  // One stream per (epoch, split), so that neither more epochs nor another split shift these draws.
  Rng rng(seed, 0x62676e64ULL + epoch * 3 + static_cast<uint64_t>(split));
  GcMatchResult drawn = gc_matched_negatives(genome_, positives, avoid_, o, rng);
  for (const auto& r : drawn.negatives) {
    ProfileWindow w;
    w.chrom = r.chrom;
    // The drawn span is the fetch span: the input starts max_jitter into it.
    w.centre = r.start + windows_.max_jitter + windows_.input_length / 2;
    w.id = fmt::format("background:{}:{}", w.chrom, w.centre + 1);
    w.kind = WindowKind::background;
    w.split = split;
    result.push_back(std::move(w));
  }
  std::sort(result.begin(), result.end(), [](const ProfileWindow& a, const ProfileWindow& b) {
    return std::tie(a.chrom, a.centre) < std::tie(b.chrom, b.centre);
  });
  return result;
}

}  // namespace seqdl::data
