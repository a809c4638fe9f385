// GFF3 and GTF (GFF2.5) feature files, streamed: plain, gzip or bgzip (through LineReader), LF or CRLF.
// Coordinates come back 0-based half-open (the files' 1-based inclusive [start, end] becomes
// [start - 1, end)). '#' comment and directive lines are skipped; a "##FASTA" directive (or a '>' line)
// ends the features, as GFF3 says. GFF3 attributes are percent-decoded (%3B -> ';') and split into
// their comma-separated values; GTF attributes are `key "value";` pairs, unquoted values accepted.
//
// The format is read from the content: a "##gff-version 3" directive means GFF3; otherwise the first
// feature line's attributes decide (`key=value` GFF3, `key "value"` / `key value` GTF); with neither (an
// empty or attribute-less file), a name ending in .gtf[.gz] means GTF and anything else GFF3.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/line_reader.hpp"

#include "util/choices.hpp"

namespace seqdl::io {

enum class GffFormat { gff3, gtf };
inline constexpr Choices<GffFormat, 2> kGffFormatChoices{{{"gff3", GffFormat::gff3}, {"gtf", GffFormat::gtf}}};

std::string_view format_name(GffFormat format);  // "GFF3", "GTF"

struct GffAttribute {
  std::string key;
  std::vector<std::string> values;  // GFF3: the comma-separated values, decoded; GTF: one value
};

struct GffRecord {
  std::string seqid, source, type;
  int64_t start = 0, end = 0;       // 0-based half-open
  std::optional<double> score;      // column 6 unless '.'
  char strand = '.';                // '+', '-', '.' (unstranded) or '?' (unknown)
  int phase = -1;                   // 0, 1, 2, or -1 for '.'
  std::vector<GffAttribute> attributes;  // in file order; a GTF key repeated is one entry per occurrence
  uint64_t line = 0;                // line number in the file, for messages

  // The first value of `key`, or nullptr when the record lacks it.
  const std::string* attribute(std::string_view key) const;
  // Every value of `key` (GFF3 "Parent=a,b" gives {a, b}; a repeated GTF key gives each), maybe none.
  std::vector<std::string> values(std::string_view key) const;
};

class GffReader {
 public:
  // format: force GFF3 or GTF instead of reading it from the content. Throws InputError if the file
  // cannot be opened.
  explicit GffReader(std::string path, std::optional<GffFormat> format = std::nullopt);

  // The next feature, or false at the end (or at ##FASTA). Throws FormatError naming file:line for a
  // malformed line: not 9 tab-separated columns, a non-numeric or < 1 start, start > end, a strand
  // other than + - . ?, a phase other than 0 1 2 ., a non-numeric score, an attribute without '='
  // (GFF3) or an unterminated quote (GTF).
  bool next(GffRecord& record);

  // Known after the first call to next() that returned a record (before that: the guess from the name).
  GffFormat format() const { return format_.value_or(guess_); }
  const std::string& path() const { return lines_.path(); }
  std::string where() const { return lines_.where(); }  // "path:line" of the last line read

 private:
  void parse(std::string_view line, GffRecord& record);
  LineReader lines_;
  std::optional<GffFormat> format_;
  GffFormat guess_;
  bool done_ = false;
};

// Decodes GFF3's %XX escapes. A '%' not followed by two hex digits stays as it is (files write "50%").
std::string percent_decode(std::string_view text);

}  // namespace seqdl::io
