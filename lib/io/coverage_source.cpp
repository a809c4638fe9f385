#include "io/coverage_source.hpp"

#include <algorithm>
#include <unordered_set>

#include "io/coverage_sink.hpp"
#include "io/line_reader.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

bool is_track(CoverageFormat f) {
  return f == CoverageFormat::bedgraph || f == CoverageFormat::bigwig;
}

CoverageFormat format_of(const std::string& path, CoverageFormat given) {
  if (given != CoverageFormat::automatic) return given;
  CoverageFormat f = format_from_name(path);
  if (f == CoverageFormat::automatic) {
    throw UsageError(
        "cannot tell the format of {} from its name: give --coverage-format "
        "bam|bed|bedpe|fragments|bedgraph|bigwig",
        path);
  }
  return f;
}

std::string first_names(const std::map<std::string, uint64_t>& m) {
  std::string s;
  size_t i = 0;
  for (const auto& [name, n] : m) {
    if (i++ == 5) return s + fmt::format(", ... ({} contigs)", m.size());
    s += fmt::format("{}{} ({})", s.empty() ? "" : ", ", name, with_commas(n));
  }
  return s;
}

void count_track_files(const CoverageOptions& o, CoverageCounter& counter, CoverageSink& sink) {
  if (o.inputs.size() > 2) {
    throw UsageError("a track source is one combined file or two (plus, minus), not {} files", o.inputs.size());
  }
  if (o.inputs.size() == 1 && o.strands == StrandMode::both) {
    throw UsageError("{} is one unstranded track: give two tracks (plus, minus) or use --strand combined", o.inputs[0]);
  }
  if (o.shift.plus != 0 || o.shift.minus != 0) throw UsageError("--shift applies to reads, not to tracks");
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    const std::string& path = o.inputs[i];
    uint64_t before = sink.summary().records;
    if (format_of(path, o.format) == CoverageFormat::bigwig) {
      read_bigwig(path, static_cast<int>(i), sink);
    } else {
      read_bedgraph(path, static_cast<int>(i), sink);
    }
    if (sink.summary().records == before) throw InputError("{} holds no coverage (no interval)", path);
    counter.flush();  // each file's intervals are merged on their own
  }
}

}  // namespace

uint64_t CoverageSummary::missing_contig_records() const {
  uint64_t n = 0;
  for (const auto& [name, k] : missing_contigs) n += k;
  return n;
}


CoverageFormat format_from_name(const std::string& path) {
  std::string p = path;
  if (ends_with_ci(p, ".gz")) p.resize(p.size() - 3);
  auto has = [&](const char* ext) { return ends_with_ci(p, ext); };
  if (has(".bam") || has(".cram") || has(".sam")) return CoverageFormat::bam;
  if (has(".bw") || has(".bigwig")) return CoverageFormat::bigwig;
  if (has(".bedgraph") || has(".bdg")) return CoverageFormat::bedgraph;
  if (has(".bedpe")) return CoverageFormat::bedpe;
  if (has(".frag") || (has(".tsv") && p.find("fragments") != std::string::npos)) return CoverageFormat::fragments;
  if (has(".bed") || has(".tagalign")) return CoverageFormat::bed;
  return CoverageFormat::automatic;
}

CutShift parse_shift(const std::string& text, const std::string& what) {
  auto parts = split(text, ',');
  if (parts.empty() || parts.size() > 2) {
    throw UsageError("{}: expected PLUS,MINUS shifts such as 4,-4, found '{}'", what, text);
  }
  try {
    CutShift s;
    s.plus = parse_int(parts[0], what);
    s.minus = parts.size() == 2 ? parse_int(parts[1], what) : s.plus;
    return s;
  } catch (const FormatError&) {
    throw UsageError("{}: expected PLUS,MINUS shifts such as 4,-4, found '{}'", what, text);
  }
}

std::vector<Contig> read_chrom_sizes(const std::string& path) {
  LineReader lines(path);
  std::vector<Contig> contigs;
  std::unordered_set<std::string> seen;
  std::string_view line;
  while (lines.next(line)) {
    if (trim(line).empty() || line.front() == '#') continue;
    auto cols = split(line, line.find('\t') != std::string_view::npos ? '\t' : ' ');
    if (cols.size() < 2) throw FormatError("{}: expected a contig name and its length", lines.where());
    int64_t length = parse_int(cols[1], lines.where() + ": length");
    if (length <= 0) throw FormatError("{}: contig length {} is not positive", lines.where(), length);
    if (cols[0].empty()) throw FormatError("{}: empty contig name", lines.where());
    // A contig listed twice would be two chromosomes of one name in a bigWig's list, and count on one of them.
    if (!seen.insert(std::string(cols[0])).second) {
      throw FormatError("{}: contig '{}' is listed twice", lines.where(), cols[0]);
    }
    contigs.push_back({std::string(cols[0]), length});
  }
  if (contigs.empty()) throw InputError("{} lists no contig", path);
  return contigs;
}

std::vector<Contig> source_contigs(const CoverageOptions& o) {
  if (o.inputs.empty()) throw UsageError("no coverage input given");
  const std::string& path = o.inputs.front();
  CoverageFormat f = format_of(path, o.format);
  if (f == CoverageFormat::bam) return BamReader(path, o.reference).contigs();
  if (f == CoverageFormat::bigwig) {
    std::vector<Contig> contigs;
    bigwig_contigs(path, contigs);
    return contigs;
  }
  throw UsageError("{} does not list contig sizes: give the genome (--genome) or --chrom-sizes", path);
}

CoverageStore count_coverage(const CoverageOptions& o, const std::vector<Contig>& contigs, CoverageSummary& summary) {
  if (o.inputs.empty()) throw UsageError("no coverage input given");
  CoverageCounter counter(contigs, o.strands, o.buffer_points);
  CoverageSink sink(counter, o.regions, o.shift, summary);
  Progress progress("coverage", 0, "records");  // on a terminal only: reading 10^8 reads takes minutes
  sink.set_progress(&progress);
  if (is_track(format_of(o.inputs.front(), o.format))) {
    count_track_files(o, counter, sink);
  } else {
    for (const auto& path : o.inputs) {
      CoverageFormat f = format_of(path, o.format);
      if (is_track(f)) throw UsageError("{} is a track; it cannot be pooled with reads", path);
      uint64_t before = summary.records;
      if (f == CoverageFormat::bam) {
        read_alignment_cuts(path, o, sink);
      } else if (f == CoverageFormat::bed) {
        read_bed_cuts(path, sink);
      } else {
        read_fragment_cuts(path, f == CoverageFormat::bedpe, o.fragment_counts, sink);
      }
      if (summary.records == before && (f != CoverageFormat::bam || o.regions.empty())) {
        throw InputError("{} holds no reads or fragments", path);
      }
    }
  }
  if (summary.records > 0 && summary.missing_contig_records() == summary.records) {
    throw InputError(
        "none of the {} records of {} lies on a contig of the genome (they are on {}): is it from "
        "another assembly?",
        with_commas(summary.records), o.inputs.front(), first_names(summary.missing_contigs));
  }
  return counter.finish();
}

void warn_coverage_summary(const CoverageSummary& s, const std::string& what) {
  if (!s.missing_contigs.empty()) {
    log::warn("{}: {} records on {} contigs the genome lacks were skipped: {}", what,
              with_commas(s.missing_contig_records()), s.missing_contigs.size(), first_names(s.missing_contigs));
  }
  if (s.off_contig_end > 0) {
    log::warn("{}: {} cut sites were shifted off their contig's end and dropped", what, with_commas(s.off_contig_end));
  }
  if (s.mate_pairs_split > 0) {
    log::warn("{}: {} pairs with mates on different contigs were skipped", what, with_commas(s.mate_pairs_split));
  }
}

}  // namespace seqdl::io
