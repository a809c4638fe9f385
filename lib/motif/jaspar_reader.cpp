// JASPAR count matrices: ">MA0139.1 CTCF" followed by four rows "A [ 87 167 ... ]" (the brackets and the
// base letters are optional; rows without letters are A, C, G, T in that order). A file of four bare rows
// (a .pfm) is one motif named after the file. Counts become probabilities with no pseudocount.

#include <cctype>
#include <filesystem>
#include <span>

#include "motif/motif_io.hpp"
#include "motif/parse_util.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {
using detail::parse_number;
using detail::tokens;

struct PendingMotif {
  std::string id, name;
  uint64_t header_line = 0;
  std::array<std::vector<double>, 4> rows;  // counts per base
  std::array<bool, 4> seen{};
  int nrows = 0;
  bool labelled = false;
};

void add_row(PendingMotif& m, const NumberedLine& line, const std::string& path) {
  std::string text(line.text);
  for (char& c : text) {
    if (c == '[' || c == ']') c = ' ';
  }
  auto tok = tokens(text);
  std::string here = detail::where(path, line);
  int base = m.nrows;
  bool labelled = !tok.empty() && tok[0].size() == 1 && kBaseIndex[static_cast<uint8_t>(tok[0][0])] < 4 &&
                  std::isalpha(static_cast<unsigned char>(tok[0][0]));
  if (m.nrows > 0 && labelled != m.labelled) {
    throw FormatError("{}: some rows of motif '{}' name their base and some do not", here, m.id);
  }
  m.labelled = labelled;
  if (labelled) {
    base = kBaseIndex[static_cast<uint8_t>(tok[0][0])];
    tok.erase(tok.begin());
  }
  if (m.nrows >= 4 || m.seen[base]) {
    throw FormatError("{}: motif '{}' has more than one {} row (expected one row each for A, C, G, T)", here, m.id,
                      "ACGT"[base]);
  }
  if (tok.empty()) throw FormatError("{}: the {} row of motif '{}' has no counts", here, "ACGT"[base], m.id);
  std::vector<double> counts;
  for (std::string_view t : tok) {
    double v = 0;
    if (!parse_number(t, v) || v < 0) throw FormatError("{}: expected a count >= 0, found '{}'", here, t);
    counts.push_back(v);
  }
  for (const auto& other : m.rows) {
    if (!other.empty() && other.size() != counts.size()) {
      throw FormatError("{}: the {} row of motif '{}' has {} counts, the rows before it {}", here, "ACGT"[base], m.id,
                        counts.size(), other.size());
    }
  }
  m.rows[base] = std::move(counts);
  m.seen[base] = true;
  ++m.nrows;
}

void finish(PendingMotif& m, MotifFile& file, const std::string& path) {
  if (m.nrows != 4) {
    throw FormatError("{}:{}: motif '{}' has {} count rows, expected 4 (A, C, G, T)", path, m.header_line, m.id, m.nrows);
  }
  std::vector<Column> counts(m.rows[0].size());
  for (size_t i = 0; i < counts.size(); ++i) {
    for (int b = 0; b < 4; ++b) counts[i][b] = m.rows[b][i];
  }
  file.motifs.push_back(from_counts(m.id, m.name, counts, fmt::format("{}:{}", path, m.header_line)));
}

}  // namespace

MotifFile parse_jaspar(const std::vector<NumberedLine>& lines, const std::string& path) {
  MotifFile file{path, MotifFormat::jaspar, {}, std::nullopt};
  std::optional<PendingMotif> current;
  for (const NumberedLine& line : lines) {
    std::string_view t = seqdl::trim(line.text);
    if (t.empty() || t.front() == '#') continue;
    if (t.front() == '>') {
      if (current) finish(*current, file, path);
      auto tok = tokens(t.substr(1));
      if (tok.empty()) throw FormatError("{}: expected '>id name' after '>'", detail::where(path, line));
      current = PendingMotif{std::string(tok[0]), "", line.number, {}, {}, 0, false};
      current->name = join(std::span(tok).subspan(1), " ");
      continue;
    }
    if (!current) {
      if (!file.motifs.empty()) throw FormatError("{}: expected a '>id name' line", detail::where(path, line));
      // A bare matrix file: one motif named after the file.
      std::string stem = path == "-" ? "motif" : std::filesystem::path(path).stem().string();
      current = PendingMotif{stem, "", line.number, {}, {}, 0, false};
    }
    add_row(*current, line, path);
  }
  if (current) finish(*current, file, path);
  if (file.motifs.empty()) throw FormatError("{}: no motifs found", path);
  return file;
}

}  // namespace seqdl::motif
