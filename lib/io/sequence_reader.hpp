// Streaming FASTA/FASTQ reader: plain, gzip or bgzip, from a path or "-". Multi-line FASTA records,
// CRLF line endings, and four-line FASTQ records. Bases are kept exactly as written (soft-masked
// lowercase included) and checked to be IUPAC codes.
//
// Threads: a reader is used by one thread at a time; distinct readers are independent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/line_reader.hpp"

namespace seqdl::io {

struct SequenceRecord {
  std::string name;     // the header up to the first whitespace
  std::string comment;  // the rest of the header line
  std::string seq;      // base codes
  std::string qual;     // FASTQ qualities (empty for FASTA)
};

class SequenceReader {
 public:
  // Opens the file ("-": stdin); InputError when it cannot be opened. Nothing is read until next().
  explicit SequenceReader(std::string path);

  // Fills `record` (every field overwritten; its buffers are reused) with the next record, or returns false
  // at the end (an empty file holds no records). FASTA or FASTQ is decided by the first non-blank line.
  // Throws FormatError naming the file and line on malformed input: no header line, an empty record, a
  // non-IUPAC character, a FASTQ quality length mismatch, binary content.
  bool next(SequenceRecord& record);

  bool is_fastq() const { return fastq_; }
  uint64_t records_read() const { return records_; }
  const std::string& path() const { return lines_.path(); }

 private:
  bool next_fasta(SequenceRecord& record);
  bool next_fastq(SequenceRecord& record);
  void set_header(std::string_view header, SequenceRecord& record);
  void append_line(std::string_view line, SequenceRecord& record);
  void check_bases(const SequenceRecord& record, uint64_t first_line);

  LineReader lines_;
  bool started_ = false;
  bool fastq_ = false;
  uint64_t records_ = 0;
  std::vector<uint32_t> line_lengths_;  // of the current record's sequence lines, to place an error
};

}  // namespace seqdl::io
