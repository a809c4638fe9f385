#include "data/junctions.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "io/bed.hpp"
#include "io/gff.hpp"
#include "io/line_reader.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

using Key = std::tuple<std::string, int64_t, int64_t, char>;

bool is_integer(std::string_view s) {
  s = trim(s);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool looks_like_gff(const std::string& path) {
  for (const char* ext : {".gff", ".gff3", ".gtf", ".gff.gz", ".gff3.gz", ".gtf.gz"}) {
    if (ends_with_ci(path, ext)) return true;
  }
  for (const char* ext : {".bed", ".bed.gz"}) {
    if (ends_with_ci(path, ext)) return false;
  }
  if (io::is_stdin(path)) return false;  // cannot be read twice
  io::LineReader lines(path);
  std::string_view line;
  while (lines.next(line)) {
    std::string_view t = trim(line);
    if (t.empty() || t.front() == '#' || t.starts_with("track") || t.starts_with("browser")) continue;
    auto cols = split(line, '\t');
    return cols.size() == 9 && is_integer(cols[3]) && is_integer(cols[4]);
  }
  return false;
}

// A read count: NaN, an infinity or a negative number would reach the output as such (or cancel other counts).
void check_count(double reads, const std::string& where) {
  if (!std::isfinite(reads) || reads < 0) {
    throw FormatError("{}: the read count must be a finite number >= 0, found {}", where, reads);
  }
}

void read_gff_junctions(const JunctionOptions& options, JunctionEvidence& ev, std::map<Key, double>& reads) {
  io::GffReader reader(options.path);
  io::GffRecord r;
  while (reader.next(r)) {
    if (r.type != "intron" || r.attribute("Parent") != nullptr) continue;
    if (!options.source.empty() && r.source != options.source) continue;
    ++ev.records;
    if (!r.score) {
      ++ev.without_count;
      continue;
    }
    check_count(*r.score, fmt::format("{}:{}", options.path, r.line));
    if (r.strand != '+' && r.strand != '-') {
      ++ev.unstranded;
      continue;
    }
    reads[{r.seqid, r.start, r.end, r.strand}] += *r.score;
  }
}

void read_bed_junctions(const JunctionOptions& options, JunctionEvidence& ev, std::map<Key, double>& reads) {
  io::BedReader reader(options.path, false);
  io::BedRecord r;
  while (reader.next(r)) {
    ++ev.records;
    std::string where = fmt::format("{}:{}", options.path, r.line);
    if (r.extra.size() < 3) {
      throw FormatError("{}: a junction needs 6 columns (chrom, start, end, name, read count, strand), found {}",
                        where, r.extra.size() + 3);
    }
    if (!r.score) throw FormatError("{}: column 5 should be the read count, found '{}'", where, r.extra[1]);
    check_count(*r.score, where);
    if (r.extra[2] != "+" && r.extra[2] != "-" && r.extra[2] != "." && r.extra[2] != "?") {
      throw FormatError("{}: strand '{}' is not one of + - .", where, r.extra[2]);
    }
    if (r.strand != '+' && r.strand != '-') {
      ++ev.unstranded;
      continue;
    }
    if (r.region.length() == 0) throw FormatError("{}: an empty intron (start = end = {})", where, r.region.start);
    reads[{r.region.chrom, r.region.start, r.region.end, r.strand}] += *r.score;
  }
}

}  // namespace

JunctionEvidence read_junctions(const JunctionOptions& options) {
  JunctionEvidence ev;
  ev.gff = looks_like_gff(options.path);
  std::map<Key, double> reads;
  if (ev.gff) {
    read_gff_junctions(options, ev, reads);
  } else {
    read_bed_junctions(options, ev, reads);
  }
  for (const auto& [key, n] : reads) {
    if (n < options.min_count) {
      ++ev.below_min;
      continue;
    }
    Intron intron;
    std::tie(intron.chrom, intron.start, intron.end, intron.strand) = key;
    intron.reads = n;
    ev.introns.push_back(std::move(intron));
  }
  return ev;
}

void add_junctions(std::vector<Intron>& introns, const JunctionEvidence& evidence) {
  auto key = [](const Intron& i) { return std::tie(i.chrom, i.start, i.end, i.strand); };
  std::vector<Intron> added;
  for (const Intron& j : evidence.introns) {
    auto it = std::lower_bound(introns.begin(), introns.end(), j, [&](const Intron& a, const Intron& b) {
      return key(a) < key(b);
    });
    if (it != introns.end() && key(*it) == key(j)) {
      it->reads += j.reads;
    } else {
      added.push_back(j);
    }
  }
  if (added.empty()) return;
  size_t middle = introns.size();
  introns.insert(introns.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  std::inplace_merge(introns.begin(), introns.begin() + static_cast<std::ptrdiff_t>(middle), introns.end(),
                     [&](const Intron& a, const Intron& b) { return key(a) < key(b); });
}

}  // namespace seqdl::data
