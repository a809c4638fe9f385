// The coverage sink and the text coverage readers: BED reads, BEDPE and 10x fragments, bedGraph.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>

#include "io/coverage_sink.hpp"
#include "io/line_reader.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

bool skippable(std::string_view line) {
  return line.empty() || line.front() == '#' || line.starts_with("track") || line.starts_with("browser");
}

// Splits by tab, or by space when there is no tab; stores the first `max` columns and returns how many there are.
size_t columns(std::string_view line, std::string_view* cols, size_t max) {
  char sep = line.find('\t') != std::string_view::npos ? '\t' : ' ';
  size_t n = 0, start = 0;
  while (true) {
    size_t pos = line.find(sep, start);
    if (n < max) cols[n] = line.substr(start, pos == std::string_view::npos ? pos : pos - start);
    ++n;
    if (pos == std::string_view::npos) return n;
    start = pos + 1;
  }
}

int64_t to_int(std::string_view text, const LineReader& lines, const char* what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw FormatError("{}: {}: expected an integer, found '{}'", lines.where(), what, text);
  }
  return v;
}

// start and end of an interval: 0 <= start < end.
std::pair<int64_t, int64_t> interval_of(std::string_view s, std::string_view e, const LineReader& lines) {
  int64_t start = to_int(s, lines, "start"), end = to_int(e, lines, "end");
  if (start < 0 || end <= start) {
    throw FormatError("{}: expected 0 <= start < end, found start {} and end {}", lines.where(), start, end);
  }
  return {start, end};
}

[[noreturn]] void past_end(const LineReader& lines, const CoverageSink& sink, int contig, int64_t end) {
  throw InputError(
      "{}: position {} lies past the end of {} ({} bp in the genome): is the coverage from another "
      "assembly?",
      lines.where(), end, sink.name(contig), sink.length(contig));
}

}  // namespace

CoverageSink::CoverageSink(CoverageCounter& counter, const std::vector<Region>& regions, CutShift shift,
                           CoverageSummary& summary)
    : counter_(counter), contigs_(counter.store().contigs()), shift_(shift), summary_(summary) {
  if (regions.empty()) return;
  regions_.resize(contigs_.size());
  for (const auto& r : regions) {
    int c = counter.store().contig_index(r.chrom);
    if (c < 0) throw UsageError("--regions: contig '{}' is not in the genome", r.chrom);
    int64_t end = r.open_ended() ? length(c) : std::min(r.end, length(c));
    if (r.start < end) regions_[static_cast<size_t>(c)].emplace_back(r.start, end);
  }
  for (auto& v : regions_) {
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

int CoverageSink::contig(std::string_view name) {
  if (last_index_ == -2 || name != last_name_) {
    last_name_ = name;
    last_index_ = counter_.store().contig_index(name);
  }
  if (last_index_ < 0) ++summary_.missing_contigs[last_name_];
  return last_index_;
}

const std::vector<std::pair<int64_t, int64_t>>& CoverageSink::regions_of(int contig) const {
  return regions_[static_cast<size_t>(contig)];
}

bool CoverageSink::cut(int contig, int strand, int64_t pos, float weight) {
  if (pos < 0 || pos >= length(contig)) return false;
  pos += strand == 0 ? shift_.plus : shift_.minus;
  if (pos < 0 || pos >= length(contig)) {
    ++summary_.off_contig_end;
    return true;
  }
  if (!regions_.empty()) {
    const auto& v = regions_of(contig);
    auto it = std::upper_bound(v.begin(), v.end(), std::make_pair(pos, INT64_MAX));
    if (it == v.begin() || std::prev(it)->second <= pos) {
      ++summary_.outside_regions;
      return true;
    }
  }
  counter_.add_point(static_cast<size_t>(contig), strand, static_cast<uint32_t>(pos), weight);
  ++summary_.counted;
  return true;
}

bool CoverageSink::interval(int contig, int strand, int64_t start, int64_t end, float value) {
  if (end > length(contig)) return false;
  if (regions_.empty()) {
    counter_.add_interval(static_cast<size_t>(contig), strand, static_cast<uint32_t>(start), static_cast<uint32_t>(end),
                          value);
    ++summary_.counted;
    return true;
  }
  bool any = false;
  for (const auto& [a, b] : regions_of(contig)) {
    int64_t s = std::max(a, start), e = std::min(b, end);
    if (s >= e) continue;
    counter_.add_interval(static_cast<size_t>(contig), strand, static_cast<uint32_t>(s), static_cast<uint32_t>(e),
                          value);
    any = true;
  }
  ++(any ? summary_.counted : summary_.outside_regions);
  return true;
}

void read_bed_cuts(const std::string& path, CoverageSink& sink) {
  LineReader lines(path);
  std::string_view line, cols[7];
  while (lines.next(line)) {
    if (skippable(line)) continue;
    size_t n = columns(line, cols, 7);
    if (n < 6)
      throw FormatError("{}: expected 6 columns (chrom, start, end, name, score, strand), found {}", lines.where(), n);
    auto [start, end] = interval_of(cols[1], cols[2], lines);
    std::string_view strand = cols[5];
    if (strand != "+" && strand != "-") {
      throw FormatError("{}: expected strand '+' or '-' in column 6, found '{}'", lines.where(), strand);
    }
    sink.count_records();
    int c = sink.contig(cols[0]);
    if (c < 0) continue;
    bool minus = strand == "-";
    if (end > sink.length(c)) past_end(lines, sink, c, end);
    if (!sink.cut(c, minus ? 1 : 0, minus ? end - 1 : start, 1.0f)) past_end(lines, sink, c, end);
  }
}

void read_fragment_cuts(const std::string& path, bool bedpe, bool use_counts, CoverageSink& sink) {
  LineReader lines(path);
  std::string_view line, cols[7];
  while (lines.next(line)) {
    if (skippable(line)) continue;
    size_t n = columns(line, cols, 7);
    if (n < 3) throw FormatError("{}: expected at least 3 columns (chrom, start, end), found {}", lines.where(), n);
    float weight = 1.0f;
    int64_t start = 0, end = 0;
    bool pair = bedpe && n >= 6;
    if (pair) {  // chrom1 start1 end1 chrom2 start2 end2: the fragment spans both mates
      if (cols[0] != cols[3]) {
        sink.count_records();
        ++sink.summary().mate_pairs_split;
        continue;
      }
      auto [s1, e1] = interval_of(cols[1], cols[2], lines);
      auto [s2, e2] = interval_of(cols[4], cols[5], lines);
      start = std::min(s1, s2);
      end = std::max(e1, e2);
    } else {
      std::tie(start, end) = interval_of(cols[1], cols[2], lines);
      if (!bedpe && use_counts && n >= 5) {
        int64_t count = to_int(cols[4], lines, "count");
        if (count < 0) throw FormatError("{}: count {} is negative", lines.where(), count);
        weight = static_cast<float>(count);
      }
    }
    sink.count_records();
    int c = sink.contig(cols[0]);
    if (c < 0 || weight == 0) continue;
    if (end > sink.length(c)) past_end(lines, sink, c, end);
    if (!sink.cut(c, 0, start, weight) || !sink.cut(c, 1, end - 1, weight)) past_end(lines, sink, c, end);
  }
}

void read_bedgraph(const std::string& path, int strand, CoverageSink& sink) {
  LineReader lines(path);
  std::string_view line, cols[5];
  while (lines.next(line)) {
    if (skippable(line)) continue;
    size_t n = columns(line, cols, 5);
    if (n < 4) throw FormatError("{}: expected 4 columns (chrom, start, end, value), found {}", lines.where(), n);
    auto [start, end] = interval_of(cols[1], cols[2], lines);
    std::string_view text = trim(cols[3]);
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
      throw FormatError("{}: expected a number in column 4, found '{}'", lines.where(), text);
    }
    // NaN is a missing value (skipped, as tools that write it mean); an infinite value, or one beyond what the
    // track stores (float), would be written as infinity.
    if (std::isinf(value) || std::fabs(value) > std::numeric_limits<float>::max()) {
      throw FormatError("{}: expected a finite number in column 4, found '{}'", lines.where(), text);
    }
    sink.count_records();
    int c = sink.contig(cols[0]);
    if (c < 0 || value == 0 || std::isnan(value)) continue;
    if (!sink.interval(c, strand, start, end, static_cast<float>(value))) past_end(lines, sink, c, end);
  }
}

}  // namespace seqdl::io
