// TRANSFAC matrices (as JASPAR and HOCOMOCO distribute them): records end with "//"; AC is the id, ID the
// name (the id when there is no AC); the "P0" (or "PO") line names the base of each column, and numbered
// rows "01 3 8 2 11 [consensus]" follow until "XX". Records without a matrix (a file's "VV" header) are
// skipped. Counts become probabilities with no pseudocount.

#include <cctype>

#include "motif/motif_io.hpp"
#include "motif/parse_util.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {
using detail::parse_number;
using detail::tokens;

struct Record {
  std::string ac, id, na;
  std::array<int, 4> column_base{};  // the base of each count column, from the P0 line
  bool has_header = false;
  uint64_t header_line = 0, first_line = 0;
  std::vector<Column> counts;
};

void finish(Record& r, MotifFile& file, const std::string& path) {
  if (!r.has_header) return;  // not a matrix record
  if (r.counts.empty()) throw FormatError("{}:{}: the matrix has no rows", path, r.header_line);
  std::string id = !r.ac.empty() ? r.ac : !r.id.empty() ? r.id : !r.na.empty() ? r.na : fmt::format("motif{}", file.motifs.size() + 1);
  std::string name = !r.ac.empty() && r.id != r.ac ? r.id : "";
  file.motifs.push_back(from_counts(id, name, r.counts, fmt::format("{}:{}", path, r.header_line)));
}

void read_header(Record& r, std::string_view t, const std::string& here) {
  auto tok = tokens(t);
  if (tok.size() != 5) {
    throw FormatError("{}: expected the matrix header 'P0 A C G T', found {} columns", here, tok.size() - 1);
  }
  std::array<bool, 4> seen{};
  for (int k = 0; k < 4; ++k) {
    uint8_t b = tok[k + 1].size() == 1 ? kBaseIndex[static_cast<uint8_t>(tok[k + 1][0])] : 4;
    if (b > 3 || seen[b]) throw FormatError("{}: expected the matrix header 'P0 A C G T', found '{}'", here, t);
    seen[b] = true;
    r.column_base[k] = b;
  }
  r.has_header = true;
}

void read_row(Record& r, std::string_view t, const std::string& here) {
  auto tok = tokens(t);
  if (tok.size() < 5) throw FormatError("{}: expected a position and 4 counts, found {} counts", here, tok.size() - 1);
  Column c{};
  for (int k = 0; k < 4; ++k) {
    double v = 0;
    if (!parse_number(tok[k + 1], v) || v < 0) throw FormatError("{}: expected a count >= 0, found '{}'", here, tok[k + 1]);
    c[r.column_base[k]] = v;
  }
  r.counts.push_back(c);
}

}  // namespace

MotifFile parse_transfac(const std::vector<NumberedLine>& lines, const std::string& path) {
  MotifFile file{path, MotifFormat::transfac, {}, std::nullopt};
  Record r;
  bool in_matrix = false;
  for (const NumberedLine& line : lines) {
    std::string_view t = seqdl::trim(line.text);
    if (t.empty() || t.front() == '#') continue;
    std::string here = detail::where(path, line);
    if (in_matrix && std::isdigit(static_cast<unsigned char>(t.front()))) {
      read_row(r, t, here);
      continue;
    }
    in_matrix = false;
    auto tok = tokens(t);
    std::string_view tag = tok[0].substr(0, 2);
    std::string value = tok.size() > 1 ? std::string(tok[1]) : "";
    if (tag == "//") {
      finish(r, file, path);
      r = Record{};
    } else if (tok[0] == "AC") {
      r.ac = value;
    } else if (tok[0] == "ID") {
      r.id = value;
    } else if (tok[0] == "NA") {
      r.na = value;
    } else if (tok[0] == "P0" || tok[0] == "PO") {
      if (r.has_header) throw FormatError("{}: a second matrix in one record (missing '//' before it?)", here);
      read_header(r, t, here);
      r.header_line = line.number;
      in_matrix = true;
    } else if (std::isdigit(static_cast<unsigned char>(t.front()))) {
      throw FormatError("{}: a matrix row outside a matrix (no 'P0 A C G T' line before it)", here);
    } else if (tok[0].size() != 2 || !std::isupper(static_cast<unsigned char>(tok[0][0]))) {
      throw FormatError("{}: expected a TRANSFAC line (a two-letter tag such as AC, ID, P0, XX or //), found '{}'",
                        here, tok[0]);
    }
  }
  finish(r, file, path);  // a last record without its closing "//"
  if (file.motifs.empty()) throw FormatError("{}: no matrices found (expected 'P0 A C G T' and numbered rows)", path);
  return file;
}

}  // namespace seqdl::motif
