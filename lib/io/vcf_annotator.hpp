// A copy of a VCF/BCF with INFO fields added, record by record: the input is read again in step with the
// caller, each record gets per-ALT values (Number=A) for the declared fields, and the output is written to a
// temporary name and renamed into place (bgzip output is then tabix-indexed), or written to stdout.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seqdl::io {

struct InfoField {
  enum class Type { floating, integer, text };
  std::string key;
  Type type = Type::floating;
  std::string description;  // without quotes or line breaks (they are replaced)
  std::string number = "A";  // the header's Number: A (one per ALT), or "." (any count, e.g. one per allele and gene)
};

// One thread; the annotator owns its htslib handles and the temporary output until finish().
class VcfAnnotator {
 public:
  // InputError if the input cannot be opened or the output created; FormatError for an unreadable header;
  // UsageError if the input already has one of the fields (an earlier run?). `header_lines` ("##key=value")
  // are added to the header as they are.
  VcfAnnotator(const std::string& vcf, const std::string& output, const std::vector<InfoField>& fields,
               const std::vector<std::string>& header_lines);
  ~VcfAnnotator();
  VcfAnnotator(const VcfAnnotator&) = delete;
  VcfAnnotator& operator=(const VcfAnnotator&) = delete;

  // Reads the next input record and returns its number of ALT alleles; FormatError if the input has no more.
  int next_record();
  // Values of field `field` for the current record's ALT alleles (n_alt of them); missing values: NaN for floats,
  // INT32_MIN for integers. Set a field at most once per record; unset fields stay absent.
  void set_floats(size_t field, const std::vector<float>& values);
  void set_integers(size_t field, const std::vector<int32_t>& values);
  void set_text(size_t field, const std::string& value);  // comma-separated, one per ALT
  // Writes the current record with its fields (the header goes out before the first record).
  void write_record();

  // Checks that the input has no records left (std::runtime_error otherwise: a caller's bug), closes the output,
  // indexes bgzip output and renames it into place. Returns the files written ("stdout" for "-").
  std::vector<std::string> finish();
  // Set by finish() when bgzip output could not be indexed (unsorted records); the output is still written.
  const std::string& index_problem() const { return index_problem_; }

  static constexpr int32_t kMissingInteger = INT32_MIN;

 private:
  struct Handles;
  void write_header();
  [[noreturn]] void write_failed() const;  // InputError naming the output and errno's reason
  std::unique_ptr<Handles> h_;
  std::vector<InfoField> fields_;
  std::string vcf_, output_, index_problem_;
  bool compressed_ = false, header_written_ = false;
  uint64_t record_ = 0;
};

// True for output names that mean bgzip-compressed VCF (.gz, .bgz).
bool compressed_vcf_name(const std::string& output);

}  // namespace seqdl::io
