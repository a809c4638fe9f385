#include "io/bed.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {

BedReader::BedReader(std::string path, std::optional<bool> narrow_peak)
    : lines_(path),
      narrow_peak_(narrow_peak.value_or(ends_with_ci(path, ".narrowPeak") || ends_with_ci(path, ".narrowPeak.gz"))) {}

bool BedReader::next(BedRecord& record) {
  std::string_view line;
  while (true) {
    if (!lines_.next(line)) return false;
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#' || t.starts_with("track") || t.starts_with("browser")) continue;
    break;
  }
  std::string where = lines_.where();
  // BED is tab-separated; files written with spaces are common enough to accept when there is no tab.
  auto cols = split(line, line.find('\t') != std::string_view::npos ? '\t' : ' ');
  if (cols.size() < 3) {
    throw FormatError("{}: expected at least 3 columns (chrom, start, end), found {}", where, cols.size());
  }
  record = BedRecord{};
  record.line = lines_.line_number();
  record.region.chrom = cols[0];
  record.region.start = parse_int(cols[1], where + ": start");
  record.region.end = parse_int(cols[2], where + ": end");
  if (record.region.chrom.empty()) throw FormatError("{}: empty chromosome name", where);
  if (record.region.start < 0) throw FormatError("{}: start {} is negative", where, record.region.start);
  if (record.region.start > record.region.end) {
    throw FormatError("{}: start {} is after end {}", where, record.region.start, record.region.end);
  }
  for (size_t i = 3; i < cols.size(); ++i) record.extra.emplace_back(cols[i]);
  if (cols.size() > 3) record.region.name = cols[3];
  if (cols.size() > 4) {
    try {
      record.score = parse_double(cols[4], where + ": score");
    } catch (const FormatError&) {
      // Non-numeric fifth columns are labels in some tables; the score is simply absent then.
    }
  }
  if (cols.size() > 5 && cols[5].size() == 1 && (cols[5] == "+" || cols[5] == "-" || cols[5] == ".")) {
    record.strand = cols[5][0];
  }
  if (narrow_peak_) {
    if (cols.size() < 10) throw FormatError("{}: narrowPeak needs 10 columns, found {}", where, cols.size());
    int64_t offset = parse_int(cols[9], where + ": summit");
    if (offset >= 0) {
      if (offset >= record.region.length()) {
        throw FormatError("{}: summit offset {} is outside the peak ({} bp)", where, offset, record.region.length());
      }
      record.summit = record.region.start + offset;
    }
  }
  return true;
}

std::vector<BedRecord> read_bed(const std::string& path, std::optional<bool> narrow_peak) {
  BedReader reader(path, narrow_peak);
  std::vector<BedRecord> out;
  BedRecord r;
  while (reader.next(r)) out.push_back(std::move(r));
  return out;
}

}  // namespace seqdl::io
