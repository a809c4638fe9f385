#include "motif/scan.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "data/genome_regions.hpp"
#include "io/indexed_fasta.hpp"
#include "io/line_reader.hpp"
#include "motif/motif_io.hpp"
#include "motif/parse_util.hpp"
#include "motif/scan_batch.hpp"
#include "motif/scanner.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {

struct GenomeSpan {
  std::string chrom, id;
  int64_t start = 0, end = 0;
};

std::vector<GenomeSpan> genome_spans(const io::IndexedFasta& genome, const std::vector<std::string>& regions) {
  std::vector<GenomeSpan> spans;
  if (regions.empty()) {
    for (const io::Contig& c : genome.contigs()) spans.push_back({c.name, c.name, 0, c.length});
  } else {
    for (const data::GenomeInterval& r : data::read_regions(genome, regions, 0)) {
      spans.push_back({r.region.chrom, r.id, r.region.start, r.region.end});
    }
  }
  return spans;
}

// Calls fn(text, limit, offset, last) for consecutive chunks of a span; each chunk carries `overlap` extra
// bases; `last` marks the span's last chunk.
template <class Fn>
void for_each_chunk(const io::IndexedFasta& genome, const GenomeSpan& span, int64_t chunk, int64_t overlap, Fn&& fn) {
  for (int64_t s = span.start; s < span.end; s += chunk) {
    int64_t core_end = std::min(s + chunk, span.end), fetch_end = std::min(core_end + overlap, span.end);
    fn(genome.fetch(span.chrom, s, fetch_end), static_cast<size_t>(core_end - s), s, core_end == span.end);
  }
}

// Base composition of the scanned input, both strands counted (so that the background is strand-symmetric).
Background input_background(const ScanOptions& o) {
  std::array<double, 4> counts{};
  auto add = [&](std::string_view text) {
    for (char c : text) {
      uint8_t b = kBaseIndex[static_cast<uint8_t>(c)];
      if (b < 4) {
        counts[b] += 1;
        counts[3 - b] += 1;
      }
    }
  };
  if (!o.genome.empty()) {
    io::IndexedFasta genome(o.genome);
    for (const GenomeSpan& span : genome_spans(genome, o.source.regions)) {
      for_each_chunk(genome, span, o.chunk_size, 0, [&](std::string&& text, size_t, int64_t, bool) { add(text); });
    }
  } else {
    if (io::is_stdin(o.source.input)) {
      throw UsageError("--background input reads the sequences twice, which stdin cannot do: give a file");
    }
    auto source = data::open_sequences(o.source);
    data::NamedSequence s;
    while (source->next(s)) add(s.seq);
  }
  if (counts[0] + counts[1] == 0) throw UsageError("--background input: the input has no A, C, G or T to count");
  return checked_background(counts, "--background input");
}

Background resolve_background(const ScanOptions& o, const MotifFile& file) {
  if (o.background == "uniform") return kUniformBackground;
  if (o.background == "motif") {
    if (!file.background) throw UsageError("--background motif: {} has no background frequencies", o.motifs);
    return *file.background;
  }
  if (o.background == "input") return input_background(o);
  return read_background_file(o.background);
}

void check_options(const ScanOptions& o) {
  if (!(o.max_pvalue > 0 && o.max_pvalue <= 1)) throw UsageError("--max-pvalue: expected a number in (0, 1], found {}", o.max_pvalue);
  if (!(o.pseudocount >= 0) || !std::isfinite(o.pseudocount)) {
    throw UsageError("--pseudocount: expected a number >= 0, found {}", o.pseudocount);
  }
  if (o.chunk_size < 1) throw UsageError("--chunk-size: expected an integer >= 1, found {}", o.chunk_size);
  if (!o.genome.empty() && !o.source.input.empty()) {
    throw UsageError("give either sequences to scan or --genome, not both (found {} and --genome {})", o.source.input, o.genome);
  }
  if (o.genome.empty() && o.source.input.empty()) throw UsageError("nothing to scan: give a sequence file or --genome");
}

}  // namespace

Background read_background_file(const std::string& path) {
  io::LineReader lines(path);
  Background bg{};
  std::array<bool, 4> seen{};
  std::string_view line;
  while (lines.next(line)) {
    std::string_view t = seqdl::trim(line);
    if (t.empty() || t.front() == '#') continue;
    auto tok = detail::tokens(t);
    if (tok.size() % 2 != 0) throw FormatError("{}: expected 'A 0.3' pairs of base and frequency", lines.where());
    for (size_t k = 0; k < tok.size(); k += 2) {
      if (tok[k].size() != 1) continue;  // a higher-order Markov entry ("AA 0.09")
      uint8_t b = kBaseIndex[static_cast<uint8_t>(tok[k][0])];
      double v = 0;
      if (b > 3 || !detail::parse_number(tok[k + 1], v) || v <= 0) {
        throw FormatError("{}: expected a base (A, C, G, T) and a frequency > 0, found '{} {}'", lines.where(), tok[k],
                          tok[k + 1]);
      }
      bg[b] = v;
      seen[b] = true;
    }
  }
  for (int b = 0; b < 4; ++b) {
    if (!seen[b]) throw FormatError("{}: no frequency for {} (expected A, C, G and T)", path, "ACGT"[b]);
  }
  return checked_background(bg, path);
}

ScanSummary run_scan(const ScanOptions& o) {
  auto started = std::chrono::steady_clock::now();
  check_options(o);
  ScanFormat format = o.format.value_or(ends_with_ci(o.output, ".bed") ? ScanFormat::bed : ScanFormat::tsv);
  if (o.per_sequence_max && format == ScanFormat::bed) {
    throw UsageError("--per-sequence-max writes a TSV table (id, score, ...), not BED: use --format tsv or a .tsv name");
  }
  MotifFile file = read_motifs(o.motifs);
  std::vector<Motif> motifs = select_motifs(file, o.motif_ids, "--motif");
  ScanSummary summary;
  summary.background = resolve_background(o, file);
  summary.motifs = motifs.size();
  std::vector<Pwm> pwms;
  for (Motif& m : motifs) pwms.emplace_back(std::move(m), summary.background, o.pseudocount);
  Scanner scanner(std::move(pwms), o.max_pvalue, o.both_strands);

  std::unique_ptr<io::IndexedFasta> genome;
  std::unique_ptr<data::SequenceSource> source;
  if (!o.genome.empty()) {
    genome = std::make_unique<io::IndexedFasta>(o.genome);
  } else {
    source = data::open_sequences(o.source);
  }
  RowWriter writer(o.output, format, o.per_sequence_max);
  BatchScan batch(scanner, writer, o.per_sequence_max, o.threads);
  if (genome) {
    std::vector<GenomeSpan> spans = genome_spans(*genome, o.source.regions);
    uint64_t total = 0;
    for (const GenomeSpan& s : spans) total += static_cast<uint64_t>(s.end - s.start);
    Progress progress("scan", total, "bp");
    auto overlap = static_cast<int64_t>(scanner.max_width()) - 1;
    for (const GenomeSpan& span : spans) {
      for_each_chunk(*genome, span, o.chunk_size, overlap, [&](std::string&& text, size_t limit, int64_t offset, bool last) {
        batch.add(span.chrom, span.id, std::move(text), limit, offset, last);
        progress.add(limit);
      });
      ++summary.sequences;
      summary.bases += static_cast<uint64_t>(span.end - span.start);
    }
    batch.finish();
    progress.finish();
  } else {
    Progress progress("scan", 0, "seqs");
    data::NamedSequence s;
    while (source->next(s)) {
      ++summary.sequences;
      summary.bases += s.seq.size();
      size_t length = s.seq.size();
      batch.add(s.id, s.id, std::move(s.seq), length, 0, true);
      progress.add(1);
    }
    batch.finish();
    progress.finish();
  }
  summary.unscored = batch.unscored();
  writer.commit();
  summary.hits = writer.rows();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace seqdl::motif
