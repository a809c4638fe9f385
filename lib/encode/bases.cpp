#include "encode/bases.hpp"

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace seqdl::encode {

namespace {

// True if every byte is an IUPAC letter: a branch-free table lookup per byte (about three instructions
// per base).
bool all_bases_scalar(const uint8_t* s, size_t n) {
  uint8_t ok = 0xFF;
  for (size_t i = 0; i < n; ++i) ok &= static_cast<uint8_t>(kBaseMask[s[i]] != 0 ? 0xFF : 0);
  return ok != 0;
}

#if defined(__x86_64__)
// The same with AVX2, 32 bytes at a time, classifying each byte by its two nibbles: a byte is an IUPAC letter
// exactly when kLow[low nibble] & kHigh[high nibble] is non-zero. Bit 1 marks letters of rows 0x4_/0x6_
// (A B C D G H K M N and lowercase), bit 2 those of rows 0x5_/0x7_ (R S T U V W Y). Validation then costs
// a fraction of reading the file.
__attribute__((target("avx2"))) bool all_bases_avx2(const uint8_t* s, size_t n) {
  const __m256i low_table = _mm256_setr_epi8(0, 1, 3, 3, 3, 2, 2, 3, 1, 2, 0, 1, 0, 1, 1, 0,  //
                                             0, 1, 3, 3, 3, 2, 2, 3, 1, 2, 0, 1, 0, 1, 1, 0);
  const __m256i high_table = _mm256_setr_epi8(0, 0, 0, 0, 1, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                              0, 0, 0, 0, 1, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  __m256i bad = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    __m256i lo = _mm256_shuffle_epi8(low_table, _mm256_and_si256(v, nibble));
    // Bytes >= 0x80 have their top bit set, which makes shuffle return 0 for them: invalid, as they should be.
    __m256i hi = _mm256_shuffle_epi8(high_table, _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(v, 4), nibble),
                                                                  _mm256_and_si256(v, _mm256_set1_epi8(-128))));
    bad = _mm256_or_si256(bad, _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256()));
  }
  return _mm256_testz_si256(bad, bad) && all_bases_scalar(s + i, n - i);
}
#endif

bool all_bases(const uint8_t* s, size_t n) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return all_bases_avx2(s, n);
#endif
  return all_bases_scalar(s, n);
}

}  // namespace

size_t find_invalid_base(std::string_view seq) {
  if (all_bases(reinterpret_cast<const uint8_t*>(seq.data()), seq.size())) return std::string_view::npos;
  for (size_t i = 0; i < seq.size(); ++i) {
    if (kBaseMask[static_cast<uint8_t>(seq[i])] == 0) return i;
  }
  return std::string_view::npos;
}

void reverse_complement_in_place(std::string& seq) {
  std::reverse(seq.begin(), seq.end());
  for (char& c : seq) c = kComplement[static_cast<uint8_t>(c)];
}

std::string reverse_complement(std::string_view seq) {
  std::string out(seq.rbegin(), seq.rend());
  for (char& c : out) c = kComplement[static_cast<uint8_t>(c)];
  return out;
}

double gc_fraction(std::string_view seq) {
  size_t gc = 0, acgt = 0;
  for (char c : seq) {
    uint8_t m = kBaseMask[static_cast<uint8_t>(c)];
    bool unambiguous = m == 1 || m == 2 || m == 4 || m == 8;
    acgt += unambiguous;
    gc += unambiguous && (m == 2 || m == 4);
  }
  return acgt == 0 ? 0.0 : static_cast<double>(gc) / static_cast<double>(acgt);
}

std::string fit_length(std::string_view seq, size_t length, char pad) {
  if (seq.size() >= length) return std::string(seq.substr((seq.size() - length) / 2, length));
  size_t extra = length - seq.size(), before = extra / 2;
  std::string out(before, pad);
  out += seq;
  out.append(extra - before, pad);
  return out;
}

}  // namespace seqdl::encode
