// What `seqdl variants` writes, torch-free: the scores of each allele as a TSV row, or the input VCF with the
// scores added as INFO fields (Number=A: the split alleles of a multi-allelic record go back into their record).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/vcf.hpp"
#include "util/choices.hpp"

namespace seqdl::variants {

// Why an allele was not scored.
enum class Skip { none, no_alt, symbolic, invalid_allele, unknown_contig, past_end, ref_mismatch };
inline constexpr Skip kSkipReasons[] = {Skip::no_alt,         Skip::symbolic, Skip::invalid_allele,
                                        Skip::unknown_contig, Skip::past_end, Skip::ref_mismatch};
std::string_view skip_name(Skip s);         // "symbolic", ... (the TSV status is "skipped_<name>")
std::string_view skip_description(Skip s);  // "symbolic ALT", ... for the summary

// One score of a task: per-window models ref, alt, diff, log2; per-position models gain, gain_pos, loss, loss_pos.
struct ScoreKind {
  std::string name;
  bool integer = false;
  std::string description;
};

struct ScoreLayout {
  std::vector<std::string> tasks;
  std::vector<ScoreKind> kinds;
  bool per_position = false;
  size_t size() const { return tasks.size() * kinds.size(); }  // values per scored allele: [task][kind]
};

// logits: raw outputs (no log2 ratio then: a ratio of logits means nothing); distance for the descriptions.
ScoreLayout score_layout(const std::vector<std::string>& tasks, bool per_position, bool logits, int64_t distance);

struct AlleleResult {
  io::VariantAllele allele;
  Skip skip = Skip::none;
  bool padded = false;        // a window ran off a contig end (N-padded)
  bool ref_mismatch = false;  // scored although REF differs from the genome (--ref-mismatch score)
  std::vector<float> values;  // scored alleles: ScoreLayout::size() values

  bool scored() const { return skip == Skip::none; }
  // "ok", "padded", "ref_mismatch", "padded+ref_mismatch", or "skipped_<reason>" (no commas: it is also a
  // Number=A VCF value).
  std::string status() const;
};

enum class EffectFormat { tsv, vcf };
inline constexpr Choices<EffectFormat, 2> kEffectFormatChoices{{{"tsv", EffectFormat::tsv}, {"vcf", EffectFormat::vcf}}};

// --format, or else from the output's name: .vcf, .vcf.gz, .vcf.bgz are VCF, anything else TSV.
EffectFormat effect_format(const std::string& output, std::optional<EffectFormat> format);

struct WriterOptions {
  std::string vcf;          // the input VCF (read again, record by record, for VCF output)
  std::string output;       // "-" for stdout (TSV, or uncompressed VCF)
  EffectFormat format = EffectFormat::tsv;
  std::string info_prefix = "SEQDL_";
  std::string description;  // appended to each INFO description, e.g. "model m.seqdl, 600-bp windows"
  std::string command_line; // recorded in the VCF header
};

class EffectWriter {
 public:
  virtual ~EffectWriter() = default;
  // Every allele of the VCF, scored or skipped, in file order; with --regions or --shard only those selected
  // (records with no allele added are left out of the output).
  virtual void add(const AlleleResult& result) = 0;
  // The input had `records` records in all (called once, before finish, when records were left out).
  virtual void input_records(uint64_t /*records*/) {}
  // Completes the output (renames it into place; bgzip output is also tabix-indexed). Returns the files.
  virtual std::vector<std::string> finish() = 0;
  // Set when the VCF.gz could not be indexed (unsorted records); the output is still written.
  virtual std::string index_problem() const { return ""; }
};

std::unique_ptr<EffectWriter> open_effect_writer(const WriterOptions& options, const ScoreLayout& layout);

// The input VCF of a VCF output, which reads it a second time: UsageError for "-" (stdin cannot be read twice).
const std::string& reread_vcf_input(const std::string& vcf);
// The header lines an annotated VCF records: the command line (none when it is empty).
std::vector<std::string> command_header_lines(const WriterOptions& options);

// The results of one VCF record, collected as they arrive (a record's alleles arrive together, in file order) and
// written when the next record starts or at the end. Result has `allele.record` (1-based). Not thread-safe.
template <class Result>
struct PendingRecord {
  uint64_t record = 0;  // the pending record's number; 0 when none is pending
  std::vector<Result> results;

  // Adds `r`; when it belongs to another record, first calls write() for the pending one.
  template <class Write>
  void add(const Result& r, Write&& write) {
    if (r.allele.record != record) {
      flush(write);
      record = r.allele.record;
    }
    results.push_back(r);
  }
  // Calls write() for the pending record, if any, and empties it.
  template <class Write>
  void flush(Write&& write) {
    if (record != 0) write();
    record = 0;
    results.clear();
  }
};

// The INFO keys of a layout's scores ([task][kind]) and of the status, valid VCF keys made from task names.
std::vector<std::string> info_keys(const ScoreLayout& layout, const std::string& prefix);

}  // namespace seqdl::variants
