// MEME motif format: the minimal format (version 4 and 5) and full MEME output, from which only the
// "MOTIF" lines, the "letter-probability matrix" sections and the background are read (log-odds matrices,
// sites and diagrams are skipped).

#include <algorithm>
#include <cmath>

#include "motif/motif_io.hpp"
#include "motif/parse_util.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {
using detail::parse_number;
using detail::starts_with;
using detail::tokens;

class MemeParser {
 public:
  MemeParser(const std::vector<NumberedLine>& lines, const std::string& path) : lines_(lines), path_(path) {}

  MotifFile parse() {
    MotifFile file{path_, MotifFormat::meme, {}, std::nullopt};
    for (i_ = 0; i_ < lines_.size(); ++i_) {
      std::string_view t = seqdl::trim(lines_[i_].text);
      if (starts_with(t, "ALPHABET=")) {
        check_alphabet(seqdl::trim(t.substr(9)));
      } else if (starts_with(t, "ALPHABET ")) {
        skip_alphabet_block(t);
      } else if (starts_with(t, "Background letter frequencies")) {
        file.background = read_background();
      } else if (starts_with(t, "MOTIF")) {
        finish(file);
        start_motif(t);
      } else if (starts_with(t, "letter-probability matrix")) {
        read_matrix(t);
      }
    }
    finish(file);
    if (file.motifs.empty()) {
      throw FormatError("{}: no motifs found (expected 'MOTIF' lines followed by a letter-probability matrix)", path_);
    }
    return file;
  }

 private:
  std::string here() const { return detail::where(path_, lines_[i_]); }

  void check_alphabet(std::string_view letters) {
    if (letters != "ACGT" && letters != "ACGU") {
      throw FormatError("{}: alphabet '{}' is not DNA; only DNA motifs (ACGT) are supported", here(), letters);
    }
  }

  // MEME 5 custom alphabets: ALPHABET "name" DNA-LIKE ... END ALPHABET. Only DNA-like ones are accepted.
  void skip_alphabet_block(std::string_view header) {
    if (header.find("DNA") == std::string_view::npos) {
      throw FormatError("{}: alphabet {} is not DNA; only DNA motifs (ACGT) are supported", here(), seqdl::trim(header.substr(9)));
    }
    size_t start = i_;
    while (++i_ < lines_.size()) {
      if (starts_with(seqdl::trim(lines_[i_].text), "END ALPHABET")) return;
    }
    i_ = start;
    throw FormatError("{}: ALPHABET block without 'END ALPHABET'", here());
  }

  // "A 0.25 C 0.25 G 0.25 T 0.25", on the next non-empty line(s).
  Background read_background() {
    size_t header = i_;
    Background bg{};
    std::array<bool, 4> seen{};
    int found = 0;
    while (found < 4 && ++i_ < lines_.size()) {
      auto tok = tokens(lines_[i_].text);
      if (tok.empty()) continue;
      if (tok.size() % 2 != 0) throw FormatError("{}: expected background frequencies 'A p C p G p T p'", here());
      for (size_t k = 0; k < tok.size(); k += 2) {
        uint8_t b = tok[k].size() == 1 ? kBaseIndex[static_cast<uint8_t>(tok[k][0])] : 4;
        double v = 0;
        if (b > 3 || seen[b] || !parse_number(tok[k + 1], v) || v <= 0) {
          throw FormatError("{}: expected background frequencies 'A p C p G p T p' (each base once, p > 0), found "
                            "'{} {}'", here(), tok[k], tok[k + 1]);
        }
        seen[b] = true;
        bg[b] = v;
        ++found;
      }
    }
    if (found < 4) {
      i_ = header;
      throw FormatError("{}: the background lists {} of the 4 bases A, C, G, T", here(), found);
    }
    return checked_background(bg, here());
  }

  void start_motif(std::string_view t) {
    auto tok = tokens(t);
    if (tok.size() < 2 || tok[0] != "MOTIF") throw FormatError("{}: expected 'MOTIF id [name]'", here());
    current_ = Motif{std::string(tok[1]), "", {}, std::nullopt};
    // Full MEME output continues with "width = 6 sites = 20 ...": a name is a token that is not a key.
    if (tok.size() >= 3 && tok[2].find('=') == std::string_view::npos && (tok.size() < 4 || tok[3] != "=")) {
      current_->name = std::string(tok[2]);
    }
    motif_line_ = i_;
    has_matrix_ = false;
  }

  void read_matrix(std::string_view t) {
    if (!current_) throw FormatError("{}: letter-probability matrix before any MOTIF line", here());
    if (has_matrix_) throw FormatError("{}: a second letter-probability matrix for motif '{}'", here(), current_->id);
    // "alength= 4 w= 6 nsites= 20 E= 0" (the values may also follow '=' directly).
    std::string keys(t.substr(t.find(':') == std::string_view::npos ? t.size() : t.find(':') + 1));
    for (size_t p = keys.find('='); p != std::string::npos; p = keys.find('=', p + 2)) keys.insert(p + 1, " ");
    auto tok = tokens(keys);
    long width = -1;
    for (size_t k = 0; k + 1 < tok.size(); ++k) {
      if (tok[k].back() != '=') continue;
      std::string_view key = tok[k].substr(0, tok[k].size() - 1);
      double v = 0;
      bool ok = parse_number(tok[k + 1], v);
      if (key == "alength" && (!ok || v != 4)) {
        throw FormatError("{}: alength= {}: only DNA motifs (alength= 4) are supported", here(), tok[k + 1]);
      } else if (key == "w") {
        if (!ok || v < 1 || v != std::floor(v)) throw FormatError("{}: w= {}: expected a width >= 1", here(), tok[k + 1]);
        width = static_cast<long>(v);
      } else if (key == "nsites") {
        if (!ok || v < 0) throw FormatError("{}: nsites= {}: expected a number >= 0", here(), tok[k + 1]);
        if (v > 0) current_->nsites = v;
      }
    }
    size_t header = i_;
    while (width < 0 || static_cast<long>(current_->rows.size()) < width) {
      if (i_ + 1 >= lines_.size()) break;
      auto row = tokens(lines_[i_ + 1].text);
      if (row.empty()) {
        if (width < 0 && !current_->rows.empty()) break;
        ++i_;
        continue;
      }
      double first = 0;
      if (!parse_number(row[0], first)) break;  // the matrix ended
      ++i_;
      current_->rows.push_back(parse_row(row));
    }
    if (current_->rows.empty() || (width >= 0 && static_cast<long>(current_->rows.size()) < width)) {
      const NumberedLine& at = lines_[std::min(i_ + 1, lines_.size() - 1)];
      throw FormatError("{}: motif '{}' (matrix at line {}) has {} rows of probabilities, expected {}",
                        detail::where(path_, at), current_->id, lines_[header].number, current_->rows.size(),
                        width >= 0 ? std::to_string(width) : std::string("at least 1"));
    }
    has_matrix_ = true;
  }

  Column parse_row(const std::vector<std::string_view>& row) {
    if (row.size() != 4) throw FormatError("{}: expected 4 probabilities (A C G T), found {} values", here(), row.size());
    Column c{};
    double sum = 0;
    for (int b = 0; b < 4; ++b) {
      if (!parse_number(row[b], c[b]) || c[b] < 0) {
        throw FormatError("{}: expected a probability >= 0, found '{}'", here(), row[b]);
      }
      sum += c[b];
    }
    // Files round probabilities (to 3 to 6 decimals); more than 2% off means the row is not probabilities.
    if (std::abs(sum - 1) > 0.02) throw FormatError("{}: the probabilities sum to {}, expected 1", here(), sum);
    for (double& v : c) v /= sum;
    return c;
  }

  void finish(MotifFile& file) {
    if (!current_) return;
    if (!has_matrix_) {
      i_ = motif_line_;
      throw FormatError("{}: motif '{}' has no letter-probability matrix", here(), current_->id);
    }
    file.motifs.push_back(std::move(*current_));
    current_.reset();
  }

  const std::vector<NumberedLine>& lines_;
  const std::string& path_;
  size_t i_ = 0;
  std::optional<Motif> current_;
  size_t motif_line_ = 0;
  bool has_matrix_ = false;
};

}  // namespace

MotifFile parse_meme(const std::vector<NumberedLine>& lines, const std::string& path) {
  return MemeParser(lines, path).parse();
}

}  // namespace seqdl::motif
