// The motif model shared by every motif tool: a position probability matrix (rows = positions, columns
// A, C, G, T, each row summing to 1) with an id, a name and the number of sites it was built from, plus
// the small utilities that describe one (information content, IUPAC consensus, reverse complement,
// trimming of uninformative flanks).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seqdl::motif {

using Column = std::array<double, 4>;  // probabilities of A, C, G, T at one position
using Background = std::array<double, 4>;

inline constexpr Background kUniformBackground = {0.25, 0.25, 0.25, 0.25};

struct Motif {
  std::string id;
  std::string name;             // may be empty
  std::vector<Column> rows;     // one per position
  std::optional<double> nsites;  // sites the matrix was counted from, when the file says

  size_t width() const { return rows.size(); }
  // "id name", or the id alone: how motifs are named in messages.
  std::string label() const { return name.empty() ? id : id + " " + name; }
};

// A motif from a count matrix (rows = positions, A C G T): each row divided by its own sum, no
// pseudocount; nsites = the first position's total (as the MEME files converted from JASPAR say).
// FormatError naming `what` for a negative count or a position whose counts sum to 0.
Motif from_counts(std::string id, std::string name, const std::vector<Column>& counts, std::string_view what);

// A motif from an IUPAC consensus: each position gives `main` probability split evenly among the bases its
// code stands for and the rest evenly among the others (A -> 0.85 A, 0.05 each other base with main = 0.85;
// N -> 0.25 each). UsageError for a character that is not an IUPAC code.
Motif from_consensus(std::string id, std::string name, std::string_view consensus, double main = 0.85);

// Information content in bits of one position against a background: sum p log2(p / bg) (0 log 0 = 0).
double information_content(const Column& column, const Background& bg = kUniformBackground);
std::vector<double> information_content(const Motif& m, const Background& bg = kUniformBackground);
double total_information_content(const Motif& m, const Background& bg = kUniformBackground);

// IUPAC consensus (Cavener 1987): a base when its probability is > 0.5 and more than twice the second's;
// else the two-base code (R Y S W K M) when the two most probable bases together exceed 0.75; else N.
std::string consensus(const Motif& m);

// The motif of the opposite strand: positions reversed and A<->T, C<->G swapped. The id and name stay.
Motif reverse_complement(const Motif& m);

// Drops leading and trailing positions whose information content is below `min_bits`; a motif with no
// position at or above it comes back empty (width 0).
Motif trim(const Motif& m, double min_bits, const Background& bg = kUniformBackground);

// Checks a background (four finite values > 0), normalises it to sum 1. FormatError naming `what`.
Background checked_background(const Background& bg, std::string_view what);

// Whether A and T, and C and G, have the same probability (so both strands share one score distribution).
bool strand_symmetric(const Background& bg);

// Index of a base in A, C, G, T order for A/C/G/T in either case (U counts as T), else 4.
constexpr std::array<uint8_t, 256> make_base_index() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 4;
  const char* bases = "ACGT";
  for (uint8_t i = 0; i < 4; ++i) {
    t[static_cast<uint8_t>(bases[i])] = i;
    t[static_cast<uint8_t>(bases[i] - 'A' + 'a')] = i;
  }
  t['U'] = t['u'] = 3;
  return t;
}
inline constexpr std::array<uint8_t, 256> kBaseIndex = make_base_index();

}  // namespace seqdl::motif
