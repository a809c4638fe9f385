#include "io/sequence_reader.hpp"

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

std::string shown(std::string_view line) {
  std::string s(line.substr(0, 40));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
  }
  return line.size() > 40 ? s + "..." : s;
}

}  // namespace

SequenceReader::SequenceReader(std::string path) : lines_(std::move(path)) {}

void SequenceReader::set_header(std::string_view header, SequenceRecord& record) {
  header.remove_prefix(1);
  size_t ws = header.find_first_of(" \t");
  record.name.assign(header.substr(0, ws));
  record.comment.clear();
  if (ws != std::string_view::npos) {
    size_t c = header.find_first_not_of(" \t", ws);
    if (c != std::string_view::npos) record.comment.assign(header.substr(c));
  }
  if (record.name.empty()) throw FormatError("{}: header line has no sequence name", lines_.where());
}

void SequenceReader::append_line(std::string_view line, SequenceRecord& record) {
  // Trailing spaces and tabs are tolerated; anything else that is not a base is caught by check_bases.
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  record.seq.append(line);
  line_lengths_.push_back(static_cast<uint32_t>(line.size()));
}

// Validates a whole record at once (long runs vectorise; 60-base lines do not), and only on failure works
// out the line and column from the line lengths.
void SequenceReader::check_bases(const SequenceRecord& record, uint64_t first_line) {
  size_t bad = encode::find_invalid_base(record.seq);
  if (bad == std::string::npos) return;
  uint64_t line = first_line;
  size_t column = bad;
  for (uint32_t len : line_lengths_) {
    if (column < len) break;
    column -= len;
    ++line;
  }
  char c = record.seq[bad];
  std::string shown_char = std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                                       : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  throw FormatError("{}:{}: record '{}' has '{}' at column {}, which is not a nucleotide (IUPAC) code", lines_.path(),
                    line, record.name, shown_char, column + 1);
}

bool SequenceReader::next(SequenceRecord& record) {
  std::string_view line;
  if (!started_) {
    // Skip leading blank lines, then decide FASTA or FASTQ from the first character.
    while (lines_.peek(line) && line.find_first_not_of(" \t") == std::string_view::npos) lines_.next(line);
    if (!lines_.peek(line)) return false;  // an empty file holds no records
    if (line[0] != '>' && line[0] != '@') {
      lines_.next(line);
      throw FormatError("{}: expected a FASTA header ('>') or a FASTQ record ('@'), found '{}'", lines_.where(),
                        shown(line));
    }
    fastq_ = line[0] == '@';
    started_ = true;
  }
  bool got = fastq_ ? next_fastq(record) : next_fasta(record);
  if (got) ++records_;
  return got;
}

bool SequenceReader::next_fasta(SequenceRecord& record) {
  std::string_view line;
  do {
    if (!lines_.next(line)) return false;
  } while (line.empty());
  if (line[0] != '>') throw FormatError("{}: expected a FASTA header ('>'), found '{}'", lines_.where(), shown(line));
  set_header(line, record);
  uint64_t header_line = lines_.line_number();
  record.seq.clear();
  record.qual.clear();
  line_lengths_.clear();
  uint64_t skipped = 0;  // blank and ';' lines before the first sequence line, to place errors
  while (lines_.peek(line) && (line.empty() || line[0] != '>')) {
    lines_.next(line);
    if (line.empty() || line[0] == ';') {  // blank lines and old-style ';' comments
      if (line_lengths_.empty()) ++skipped;
      else line_lengths_.push_back(0);
      continue;
    }
    append_line(line, record);
  }
  if (record.seq.empty()) {
    throw FormatError("{}:{}: record '{}' has no sequence", lines_.path(), header_line, record.name);
  }
  check_bases(record, header_line + 1 + skipped);
  return true;
}

bool SequenceReader::next_fastq(SequenceRecord& record) {
  std::string_view line;
  do {
    if (!lines_.next(line)) return false;
  } while (line.empty());
  if (line[0] != '@') throw FormatError("{}: expected a FASTQ header ('@'), found '{}'", lines_.where(), shown(line));
  set_header(line, record);
  record.seq.clear();
  record.qual.clear();
  if (!lines_.next(line)) throw FormatError("{}: FASTQ record '{}' is truncated (no sequence line)", lines_.where(), record.name);
  line_lengths_.clear();
  append_line(line, record);
  check_bases(record, lines_.line_number());
  if (!lines_.next(line) || line.empty() || line[0] != '+') {
    throw FormatError("{}: FASTQ record '{}': expected the '+' separator line", lines_.where(), record.name);
  }
  if (!lines_.next(line)) throw FormatError("{}: FASTQ record '{}' is truncated (no quality line)", lines_.where(), record.name);
  record.qual.assign(line);
  if (record.qual.size() != record.seq.size()) {
    throw FormatError("{}: FASTQ record '{}' has {} bases but {} quality values", lines_.where(), record.name,
                      record.seq.size(), record.qual.size());
  }
  if (record.seq.empty()) throw FormatError("{}: FASTQ record '{}' has no sequence", lines_.where(), record.name);
  return true;
}

}  // namespace seqdl::io
