// Base codes: every sequence is held as its IUPAC letters, one byte per base, exactly as read
// (soft-masked lowercase kept). These tables say what a code means; one-hot expansion and reverse
// complement are lookups in them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace seqdl::encode {

// Bit mask of the bases a code stands for: A=1, C=2, G=4, T=8 (U counts as T). 0 for codes that are not
// IUPAC nucleotide letters. N is 15.
constexpr std::array<uint8_t, 256> make_base_masks() {
  std::array<uint8_t, 256> m{};
  struct Code {
    char c;
    uint8_t mask;
  };
  constexpr Code codes[] = {{'A', 1},  {'C', 2},  {'G', 4},  {'T', 8},  {'U', 8},  {'R', 5},
                            {'Y', 10}, {'S', 6},  {'W', 9},  {'K', 12}, {'M', 3},  {'B', 14},
                            {'D', 13}, {'H', 11}, {'V', 7},  {'N', 15}};
  for (auto [c, mask] : codes) {
    m[static_cast<uint8_t>(c)] = mask;
    m[static_cast<uint8_t>(c - 'A' + 'a')] = mask;
  }
  return m;
}
inline constexpr std::array<uint8_t, 256> kBaseMask = make_base_masks();

inline bool is_base(char c) { return kBaseMask[static_cast<uint8_t>(c)] != 0; }

// Complement of a code, IUPAC-aware and case-preserving (R <-> Y, k <-> m, N -> N, U -> A).
constexpr std::array<char, 256> make_complements() {
  std::array<char, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = static_cast<char>(i);
  constexpr const char* from = "ACGTURYSWKMBDHVN";
  constexpr const char* to = "TGCAAYRSWMKVHDBN";
  for (int i = 0; from[i] != '\0'; ++i) {
    t[static_cast<uint8_t>(from[i])] = to[i];
    t[static_cast<uint8_t>(from[i] - 'A' + 'a')] = static_cast<char>(to[i] - 'A' + 'a');
  }
  return t;
}
inline constexpr std::array<char, 256> kComplement = make_complements();

// Index of the first byte of `seq` that is not an IUPAC code, or npos.
size_t find_invalid_base(std::string_view seq);

void reverse_complement_in_place(std::string& seq);
std::string reverse_complement(std::string_view seq);

// GC fraction among unambiguous bases (A, C, G, T in either case); 0 when there are none.
double gc_fraction(std::string_view seq);

// Centre-crops or pads `seq` to `length`: crop keeps the middle (start = (n - length) / 2), padding puts
// floor(extra / 2) `pad` bases before and the rest after. The same rule as the reference pipelines.
std::string fit_length(std::string_view seq, size_t length, char pad = 'N');

}  // namespace seqdl::encode
