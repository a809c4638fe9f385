#include "variants/variants.hpp"

#include "util/text.hpp"

namespace seqdl::variants {

uint64_t VariantsSummary::skipped_total() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : skipped) n += count;
  return n;
}

std::string VariantsSummary::skipped_text() const {
  std::string text;
  for (Skip s : kSkipReasons) {
    auto it = skipped.find(s);
    if (it == skipped.end() || it->second == 0) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", with_commas(it->second), skip_description(s));
  }
  return text;
}

}  // namespace seqdl::variants
