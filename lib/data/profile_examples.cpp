#include "data/profile_examples.hpp"

#include <algorithm>

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

std::vector<float> rows_of(const io::CoverageStore& store, const io::Region& span) {
  auto n = static_cast<size_t>(span.length());
  std::vector<float> rows(n * static_cast<size_t>(store.strands()));
  for (int s = 0; s < store.strands(); ++s) store.fetch(span.chrom, span.start, span.end, s, rows.data() + s * n);
  return rows;
}

// Columns [from, from + width) of every row of a [rows, row_length] matrix.
std::vector<float> cut_rows(const std::vector<float>& m, int rows, int64_t from, int64_t width) {
  if (rows == 0) return {};
  auto row_length = static_cast<int64_t>(m.size()) / rows;
  std::vector<float> out(static_cast<size_t>(rows * width));
  for (int r = 0; r < rows; ++r) {
    auto src = m.begin() + r * row_length + from;
    std::copy(src, src + width, out.begin() + r * width);
  }
  return out;
}

void reverse_rows(std::vector<float>& m, int rows) {
  if (rows == 0) return;
  auto n = static_cast<int64_t>(m.size()) / rows;
  for (int r = 0; r < rows; ++r) std::reverse(m.begin() + r * n, m.begin() + (r + 1) * n);
  if (rows == 2) std::swap_ranges(m.begin(), m.begin() + n, m.begin() + n);
}

}  // namespace

ProfileFetcher::ProfileFetcher(const io::IndexedFasta& genome, const io::CoverageStore& counts,
                               const io::CoverageStore* control, ProfileWindowOptions options)
    : genome_(genome), counts_(counts), control_(control), options_(std::move(options)) {}

ProfileExample ProfileFetcher::fetch(const ProfileWindow& window) const {
  ProfileExample e;
  e.margin = options_.max_jitter;
  io::Region in = window.fetch_span(options_);
  e.bases = genome_.fetch_padded(in.chrom, in.start, in.end);
  io::Region out = window.output(options_);
  out.start -= e.margin;
  out.end += e.margin;
  e.strands = counts_.strands();
  e.counts = rows_of(counts_, out);
  if (control_ != nullptr) {
    e.control_strands = control_->strands();
    e.control = rows_of(*control_, out);
  }
  return e;
}

ProfileExample cut(const ProfileExample& span, int64_t offset) {
  if (offset < -span.margin || offset > span.margin) {
    throw UsageError("jitter offset {} is beyond the fetched margin of {} bases", offset, span.margin);
  }
  int64_t from = span.margin + offset;
  ProfileExample e;
  e.strands = span.strands;
  e.control_strands = span.control_strands;
  e.bases = span.bases.substr(static_cast<size_t>(from), span.bases.size() - static_cast<size_t>(2 * span.margin));
  int64_t width = span.output_length() - 2 * span.margin;
  e.counts = cut_rows(span.counts, span.strands, from, width);
  e.control = cut_rows(span.control, span.control_strands, from, width);
  return e;
}

void reverse_complement(ProfileExample& e) {
  encode::reverse_complement_in_place(e.bases);
  reverse_rows(e.counts, e.strands);
  reverse_rows(e.control, e.control_strands);
}

int64_t draw_jitter(Rng& rng, int64_t max_jitter) {
  if (max_jitter <= 0) return 0;
  return static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * max_jitter + 1))) - max_jitter;
}

}  // namespace seqdl::data
