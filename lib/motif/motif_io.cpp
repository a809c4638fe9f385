#include "motif/motif_io.hpp"

#include <cctype>

#include "io/line_reader.hpp"
#include "motif/parse_util.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
using detail::starts_with;
using detail::tokens;

std::string_view format_name(MotifFormat f) {
  switch (f) {
    case MotifFormat::meme: return "MEME";
    case MotifFormat::jaspar: return "JASPAR";
    case MotifFormat::transfac: return "TRANSFAC";
  }
  return "?";
}

std::optional<MotifFormat> detect_format(const std::vector<NumberedLine>& lines) {
  // MEME files (minimal or full output) always carry a "MEME version" line, possibly after other text.
  for (const auto& l : lines) {
    if (starts_with(seqdl::trim(l.text), "MEME version")) return MotifFormat::meme;
  }
  for (const auto& l : lines) {
    std::string_view t = seqdl::trim(l.text);
    if (t.empty() || t.front() == '#') continue;
    if (t.front() == '>') return MotifFormat::jaspar;
    auto tok = tokens(t);
    std::string_view first = tok.front();
    // A bare .pfm (rows of counts) or a row labelled with its base: "A [ 1 2 ]", "A 1 2", "A[1 2]".
    if (std::isdigit(static_cast<unsigned char>(first.front())) || first.front() == '[' ||
        (std::string_view("ACGTacgt").find(first.front()) != std::string_view::npos &&
         (first.size() == 1 || first[1] == '['))) {
      return MotifFormat::jaspar;
    }
    static constexpr std::string_view kTransfacTags[] = {"AC", "ID", "NA", "DE", "P0", "PO", "XX", "VV", "BF", "//"};
    for (std::string_view tag : kTransfacTags) {
      if (first == tag || starts_with(t, tag)) return MotifFormat::transfac;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

MotifFile read_motifs(const std::string& path) {
  std::string buffer;  // the whole file: motif files are small, and every reader looks back and ahead
  std::vector<size_t> ends;
  {
    io::LineReader reader(path);
    std::string_view line;
    while (reader.next(line)) {
      buffer.append(line);
      ends.push_back(buffer.size());
    }
  }
  std::vector<NumberedLine> lines;
  lines.reserve(ends.size());
  size_t start = 0;
  for (size_t i = 0; i < ends.size(); ++i) {
    lines.push_back({std::string_view(buffer).substr(start, ends[i] - start), i + 1});
    start = ends[i];
  }
  bool blank = true;
  for (const auto& l : lines) blank = blank && seqdl::trim(l.text).empty();
  if (blank) throw FormatError("{}: the file is empty; expected MEME, JASPAR or TRANSFAC motifs", path);
  auto format = detect_format(lines);
  if (!format) {
    throw FormatError("{}: not a motif file (expected MEME with a 'MEME version' line, JASPAR starting with '>', "
                      "or TRANSFAC with AC/ID/P0 lines)", path);
  }
  switch (*format) {
    case MotifFormat::meme: return parse_meme(lines, path);
    case MotifFormat::jaspar: return parse_jaspar(lines, path);
    case MotifFormat::transfac: return parse_transfac(lines, path);
  }
  return {};
}

std::string format_meme(const std::vector<Motif>& motifs, const Background& bg) {
  auto clean = [](std::string s) {
    for (char& c : s) {
      if (std::isspace(static_cast<unsigned char>(c))) c = '_';
    }
    return s;
  };
  std::string out = fmt::format("MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n"
                                "A {:.6f} C {:.6f} G {:.6f} T {:.6f}\n", bg[0], bg[1], bg[2], bg[3]);
  for (const Motif& m : motifs) {
    out += fmt::format("\nMOTIF {}{}\n", clean(m.id), m.name.empty() ? "" : " " + clean(m.name));
    out += fmt::format("letter-probability matrix: alength= 4 w= {}", m.width());
    if (m.nsites) out += fmt::format(" nsites= {}", exact_number(*m.nsites));
    out += " E= 0\n";
    for (const Column& c : m.rows) out += fmt::format("{:.6f} {:.6f} {:.6f} {:.6f}\n", c[0], c[1], c[2], c[3]);
  }
  return out;
}

void write_meme(const std::string& path, const std::vector<Motif>& motifs, const Background& bg) {
  AtomicFile out(path);
  out.write(format_meme(motifs, bg));
  out.commit();
}

std::vector<Motif> select_motifs(const MotifFile& file, const std::vector<std::string>& wanted, std::string_view option) {
  if (wanted.empty()) return file.motifs;
  std::vector<bool> keep(file.motifs.size(), false);
  for (const std::string& w : wanted) {
    bool found = false;
    for (size_t i = 0; i < file.motifs.size(); ++i) {
      if (file.motifs[i].id == w) keep[i] = found = true;
    }
    for (size_t i = 0; i < file.motifs.size() && !found; ++i) {
      if (file.motifs[i].name == w) keep[i] = found = true;
    }
    if (!found) {
      throw UsageError("{}: no motif with id or name '{}' in {} ({} motifs)", option, w, file.path, file.motifs.size());
    }
  }
  std::vector<Motif> out;
  for (size_t i = 0; i < file.motifs.size(); ++i) {
    if (keep[i]) out.push_back(file.motifs[i]);
  }
  return out;
}

}  // namespace seqdl::motif
