#include "data/sequence_source.hpp"

#include <filesystem>
#include <optional>

#include "data/genome_regions.hpp"
#include "encode/bases.hpp"
#include "io/file_format.hpp"
#include "io/sequence_reader.hpp"
#include "io/table.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

bool table_name(const std::string& path) {
  for (const char* ext : {".tsv", ".csv", ".seq", ".txt", ".tab"}) {
    if (ends_with_ci(path, ext) || ends_with_ci(path, std::string(ext) + ".gz")) return true;
  }
  return false;
}

class FastxSource : public SequenceSource {
 public:
  explicit FastxSource(const std::string& path) : reader_(path) {}
  bool next(NamedSequence& out) override {
    if (!reader_.next(record_)) return false;
    out.id = record_.name;
    out.seq.swap(record_.seq);
    return true;
  }

 private:
  io::SequenceReader reader_;
  io::SequenceRecord record_;
};

class ReadSource : public SequenceSource {
 public:
  explicit ReadSource(const SourceSpec& spec)
      : reader_(spec.input, spec.reference, spec.read_filter), orientation_(spec.read_orientation), regions_(spec.regions) {
    if (regions_.size() > 1) throw UsageError("--region: give one region for reads, found {}", regions_.size());
    if (!regions_.empty()) reader_.set_region(regions_[0], "--region");
  }
  bool next(NamedSequence& out) override {
    if (!reader_.next(read_, orientation_)) return false;
    out.id = read_.name;
    out.seq.swap(read_.seq);
    return true;
  }

 private:
  io::BamReader reader_;
  bool orientation_;
  std::vector<std::string> regions_;
  io::ReadRecord read_;
};

class TableSource : public SequenceSource {
 public:
  explicit TableSource(const SourceSpec& spec) : table_(spec.input) {
    if (spec.sequence_column.empty()) {
      throw UsageError("{} is a table: name its sequence column with --sequence-column", spec.input);
    }
    seq_col_ = table_.column(spec.sequence_column, "--sequence-column");
    if (!spec.id_column.empty()) id_col_ = table_.column(spec.id_column, "--id-column");
  }
  bool next(NamedSequence& out) override {
    if (!table_.next(fields_)) return false;
    ++row_;
    out.id = id_col_ ? std::string(fields_[*id_col_]) : fmt::format("row{}", row_);
    out.seq.assign(fields_[seq_col_]);
    if (size_t bad = encode::find_invalid_base(out.seq); bad != std::string::npos || out.seq.empty()) {
      throw FormatError("{}: the sequence column {}", table_.where(),
                        out.seq.empty() ? std::string("is empty") : fmt::format("has '{}', which is not a nucleotide code", out.seq[bad]));
    }
    return true;
  }

 private:
  io::TableReader table_;
  size_t seq_col_ = 0;
  std::optional<size_t> id_col_;
  std::vector<std::string_view> fields_;
  uint64_t row_ = 0;
};

class GenomeRegionSource : public SequenceSource {
 public:
  // Every interval is checked before the first is read (errors before the work), in a pass that keeps none of
  // them; the intervals are then read again one at a time.
  explicit GenomeRegionSource(const SourceSpec& spec)
      : genome_(spec.input), regions_(genome_, spec.regions, spec.window), stranded_(spec.stranded) {
    RegionReader check(genome_, spec.regions, spec.window);
    GenomeInterval checked;
    uint64_t n = 0;
    while (check.next(checked)) ++n;
    end_ = n;
    if (spec.shard_n > 1) {  // contiguous parts, sizes differing by at most one
      const uint64_t k = static_cast<uint64_t>(spec.shard_k - 1), parts = static_cast<uint64_t>(spec.shard_n);
      first_ = k * n / parts;
      end_ = (k + 1) * n / parts;
    }
  }
  bool next(NamedSequence& out) override {
    for (; read_ < first_; ++read_) {
      if (!regions_.next(current_)) return false;
    }
    if (read_ >= end_ || !regions_.next(current_)) return false;
    ++read_;
    out.id = current_.id;
    out.seq = genome_.fetch_padded(current_.region.chrom, current_.region.start, current_.region.end);
    out.locus = current_.region;
    out.strand = stranded_ && current_.strand == '-' ? '-' : '+';
    if (out.strand == '-') encode::reverse_complement_in_place(out.seq);
    if (current_.off_contig) ++padded_;
    return true;
  }
  uint64_t padded_at_contig_ends() const override { return padded_; }
  uint64_t first_index() const override { return first_; }

 private:
  io::IndexedFasta genome_;
  RegionReader regions_;
  GenomeInterval current_;
  bool stranded_;
  uint64_t padded_ = 0;
  uint64_t first_ = 0, end_ = 0, read_ = 0;  // this shard is regions [first_, end_) of all; read_ so far
};

}  // namespace

InputKind detect_input(const std::string& path) {
  if (path == "-") return InputKind::fasta;  // stdin cannot be sniffed twice; FASTA/FASTQ is what pipes carry
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("cannot open {}: no such file", path);
  switch (io::detect_format(path)) {
    case io::FileFormat::fasta: return InputKind::fasta;
    case io::FileFormat::fastq: return InputKind::fastq;
    case io::FileFormat::alignments: return InputKind::alignments;
    default: break;
  }
  if (table_name(path)) return InputKind::table;
  return InputKind::unknown;
}

std::unique_ptr<SequenceSource> open_sequences(const SourceSpec& spec) {
  InputKind kind = detect_input(spec.input);
  if (!spec.sequence_column.empty() && kind != InputKind::table) {
    throw UsageError("--sequence-column is for tables, but {} is not a TSV/CSV table", spec.input);
  }
  switch (kind) {
    case InputKind::alignments:
      return std::make_unique<ReadSource>(spec);
    case InputKind::table:
      return std::make_unique<TableSource>(spec);
    case InputKind::fasta:
    case InputKind::fastq:
      if (!spec.regions.empty()) {
        if (kind == InputKind::fastq) throw UsageError("--regions needs an indexed FASTA genome, but {} is FASTQ", spec.input);
        return std::make_unique<GenomeRegionSource>(spec);
      }
      if (!spec.reference.empty()) throw UsageError("--reference is for CRAM input, but {} is FASTA/FASTQ", spec.input);
      return std::make_unique<FastxSource>(spec.input);
    case InputKind::unknown:
      break;
  }
  // Let the FASTA reader explain what is wrong with the first line (binary data, no header...).
  io::SequenceReader probe(spec.input);
  io::SequenceRecord r;
  probe.next(r);
  throw FormatError("{}: not a FASTA, FASTQ, SAM/BAM/CRAM file or table", spec.input);
}

}  // namespace seqdl::data
