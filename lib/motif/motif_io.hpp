// Motif files: MEME (minimal format and full MEME output), JASPAR (with or without brackets, and bare
// .pfm count matrices) and TRANSFAC, told apart by their content; and the MEME minimal-format writer.
// Every reader checks what it reads and throws FormatError naming the file and line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "motif/motif.hpp"

namespace seqdl::motif {

enum class MotifFormat { meme, jaspar, transfac };
std::string_view format_name(MotifFormat f);

struct MotifFile {
  std::string path;
  MotifFormat format = MotifFormat::meme;
  std::vector<Motif> motifs;              // in file order
  std::optional<Background> background;   // MEME's "Background letter frequencies", if present
};

// One line of a motif file with its 1-based number, for messages ("x.meme:12: ...").
struct NumberedLine {
  std::string_view text;
  uint64_t number = 0;
};

// Reads a motif file (plain or gzip, or "-"): the format is detected from the content. InputError if it
// cannot be opened; FormatError (file:line) if it is malformed, not a motif file, or holds no motif.
MotifFile read_motifs(const std::string& path);

// The format of a file's lines, or nullopt if none fits.
std::optional<MotifFormat> detect_format(const std::vector<NumberedLine>& lines);

// The format parsers (lines without line endings; `path` names the file in messages).
MotifFile parse_meme(const std::vector<NumberedLine>& lines, const std::string& path);
MotifFile parse_jaspar(const std::vector<NumberedLine>& lines, const std::string& path);
MotifFile parse_transfac(const std::vector<NumberedLine>& lines, const std::string& path);

// MEME minimal format, version 4: header, background line, and per motif
//   MOTIF id name
//   letter-probability matrix: alength= 4 w= W nsites= N E= 0
// with probabilities to 6 decimals (as MEME writes them). Whitespace in ids and names becomes '_';
// nsites is omitted when unknown.
std::string format_meme(const std::vector<Motif>& motifs, const Background& bg = kUniformBackground);

// Writes format_meme() to `path` atomically ("-" = stdout).
void write_meme(const std::string& path, const std::vector<Motif>& motifs, const Background& bg = kUniformBackground);

// The motifs whose id or name is one of `wanted` (in file order); UsageError naming `option` and the
// file for a wanted motif that is not there. An empty `wanted` selects every motif.
std::vector<Motif> select_motifs(const MotifFile& file, const std::vector<std::string>& wanted, std::string_view option);

}  // namespace seqdl::motif
