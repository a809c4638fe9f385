// Sorted, merged intervals per chromosome, for overlap queries by binary search (negatives and background
// windows that must avoid peaks and excluded regions).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "io/region.hpp"

namespace seqdl::data {

class IntervalIndex {
 public:
  IntervalIndex() = default;
  explicit IntervalIndex(const std::vector<io::Region>& regions);

  // Whether [start, end) on chrom overlaps any interval (touching ends do not overlap).
  bool overlaps(const std::string& chrom, int64_t start, int64_t end) const;
  size_t chromosomes() const { return by_chrom_.size(); }

 private:
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> by_chrom_;
};

}  // namespace seqdl::data
