#include "variants/variant_selection.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "data/genome_regions.hpp"
#include "util/text.hpp"

namespace seqdl::variants {

VariantSelection::VariantSelection(const io::IndexedFasta& genome, const std::vector<std::string>& regions,
                                   const std::string& shard) {
  if (!regions.empty()) {
    by_regions_ = true;
    for (const auto& r : data::read_regions(genome, regions, 0)) {
      regions_[r.region.chrom].emplace_back(r.region.start, r.region.end);
      ++region_count_;
    }
    for (auto& [chrom, v] : regions_) {  // sorted and merged, for a binary search per record
      std::sort(v.begin(), v.end());
      size_t out = 0;
      for (const auto& iv : v) {
        if (out > 0 && iv.first <= v[out - 1].second) {
          v[out - 1].second = std::max(v[out - 1].second, iv.second);
        } else {
          v[out++] = iv;
        }
      }
      v.resize(out);
      for (const auto& [a, b] : v) region_bases_ += b - a;
    }
  }
  if (!shard.empty()) std::tie(shard_k_, shard_n_) = parse_shard(shard, "--shard");
  int64_t total = 0;
  for (const auto& c : genome.contigs()) {
    contig_offset_.emplace(c.name, total);
    total += c.length;
  }
  // Cut points rounded down, so that the N parts tile [0, total) exactly.
  const int64_t n = shard_n_, whole = total / n, rest = total % n;  // total * k / n without overflow
  auto cut = [&](int64_t k) { return whole * k + rest * k / n; };
  shard_lo_ = cut(shard_k_ - 1);
  shard_hi_ = cut(shard_k_);
}

bool VariantSelection::keep(const std::string& chrom, int64_t pos) const {
  return (!by_regions_ || in_regions(chrom, pos)) && (shard_n_ == 1 || in_shard(chrom, pos));
}

bool VariantSelection::in_regions(const std::string& chrom, int64_t pos) const {
  auto it = regions_.find(chrom);
  if (it == regions_.end()) return false;
  const auto& v = it->second;
  auto next = std::upper_bound(v.begin(), v.end(), pos, [](int64_t p, const auto& iv) { return p < iv.first; });
  return next != v.begin() && pos < std::prev(next)->second;
}

bool VariantSelection::in_shard(const std::string& chrom, int64_t pos) const {
  auto it = contig_offset_.find(chrom);
  if (it == contig_offset_.end()) return shard_k_ == 1;  // unknown contigs: shard 1 reports them
  const int64_t at = it->second + pos;
  return at >= shard_lo_ && at < shard_hi_;
}

std::string VariantSelection::description() const {
  std::vector<std::string> parts;
  if (by_regions_) {
    parts.push_back(fmt::format("{} region{} ({} bases)", with_commas(region_count_), region_count_ == 1 ? "" : "s",
                                with_commas(static_cast<uint64_t>(region_bases_))));
  }
  if (shard_n_ > 1) {
    parts.push_back(fmt::format("shard {}/{} (genome bases {}-{} of the contigs end to end)", shard_k_, shard_n_,
                                with_commas(static_cast<uint64_t>(shard_lo_ + 1)),
                                with_commas(static_cast<uint64_t>(shard_hi_))));
  }
  return join(parts, ", ");
}

}  // namespace seqdl::variants
