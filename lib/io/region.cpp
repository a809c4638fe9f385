#include "io/region.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {

std::string Region::to_string() const {
  if (open_ended()) return start == 0 ? chrom : fmt::format("{}:{}", chrom, start + 1);
  return fmt::format("{}:{}-{}", chrom, start + 1, end);
}

Region parse_region(std::string_view text, std::string_view what,
                    const std::function<bool(const std::string&)>& is_contig) {
  std::string_view t = trim(text);
  if (t.empty()) throw FormatError("{}: empty region", what);
  Region r;
  std::string_view coords;
  if (t.front() == '{') {
    size_t close = t.find('}');
    if (close == std::string_view::npos) throw FormatError("{}: unbalanced '{{' in region '{}'", what, text);
    r.chrom = t.substr(1, close - 1);
    std::string_view rest = t.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw FormatError("{}: expected ':' after '}}' in region '{}'", what, text);
      coords = rest.substr(1);
    }
  } else if (is_contig && is_contig(std::string(t))) {
    r.chrom = t;
  } else {
    size_t colon = t.rfind(':');
    if (colon == std::string_view::npos) {
      r.chrom = t;
    } else {
      r.chrom = t.substr(0, colon);
      coords = t.substr(colon + 1);
    }
  }
  if (r.chrom.empty()) throw FormatError("{}: region '{}' has no contig name", what, text);
  if (coords.empty()) return r;

  std::string where = fmt::format("{}: region '{}'", what, text);
  size_t dash = coords.find('-');
  int64_t first = parse_int_with_commas(coords.substr(0, dash), where);
  if (first < 1) throw FormatError("{}: positions are 1-based, found start {}", where, first);
  r.start = first - 1;
  if (dash != std::string_view::npos && dash + 1 < coords.size()) {
    int64_t last = parse_int_with_commas(coords.substr(dash + 1), where);
    if (last < first) throw FormatError("{}: end {} is before start {}", where, last, first);
    r.end = last;
  }
  return r;
}

}  // namespace seqdl::io
