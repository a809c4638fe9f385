#include "data/interval_index.hpp"

#include <algorithm>

namespace seqdl::data {

IntervalIndex::IntervalIndex(const std::vector<io::Region>& regions) {
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

bool IntervalIndex::overlaps(const std::string& chrom, int64_t start, int64_t end) const {
  auto it = by_chrom_.find(chrom);
  if (it == by_chrom_.end()) return false;
  const auto& v = it->second;
  auto after = std::upper_bound(v.begin(), v.end(), std::make_pair(start, INT64_MAX));
  if (after != v.end() && after->first < end) return true;
  return after != v.begin() && std::prev(after)->second > start;
}

}  // namespace seqdl::data
