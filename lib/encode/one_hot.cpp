#include "encode/one_hot.hpp"

#include <bit>

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::encode {

OneHotTable::OneHotTable(Unknown mode) : mode_(mode) {
  for (int code = 0; code < 256; ++code) {
    uint8_t mask = kBaseMask[code];
    int n = std::popcount(static_cast<unsigned>(mask));
    for (int c = 0; c < 4; ++c) {
      bool has = (mask >> c) & 1;
      float v = 0.0f;
      if (n == 1) {
        v = has ? 1.0f : 0.0f;  // A, C, G, T (U) in either case
      } else if (mode == Unknown::uniform) {
        v = 0.25f;  // N, IUPAC and anything else
      } else if (mode == Unknown::iupac && n > 1) {
        v = has ? 1.0f / static_cast<float>(n) : 0.0f;
      }
      table_[code][c] = v;
    }
  }
}

namespace {

// Unknown::zero is the hot path (genome scans, training batches): a branch-free compare per channel
// that the compiler vectorises (with AVX2 where the CPU has it), instead of a gather from the table.
inline uint8_t upper(uint8_t c) { return c & 0xDF; }

__attribute__((target_clones("avx2", "default"))) void one_hot_zero(std::string_view codes, float* out,
                                                                    size_t stride) {
  // __restrict__: without it the byte input may alias the float outputs and nothing vectorises.
  const auto* __restrict__ s = reinterpret_cast<const uint8_t*>(codes.data());
  const size_t n = codes.size();
  float* __restrict__ a = out;
  float* __restrict__ c = out + stride;
  float* __restrict__ g = out + 2 * stride;
  float* __restrict__ t = out + 3 * stride;
  for (size_t i = 0; i < n; ++i) {
    uint8_t u = upper(s[i]);
    a[i] = static_cast<float>(u == 'A');
    c[i] = static_cast<float>(u == 'C');
    g[i] = static_cast<float>(u == 'G');
    t[i] = static_cast<float>((u == 'T') | (u == 'U'));  // bitwise |: no branch, so the loop vectorises
  }
}

}  // namespace

void one_hot(std::string_view codes, float* out, size_t row_stride, const OneHotTable& table) {
  if (table.mode() == Unknown::zero) {
    one_hot_zero(codes, out, row_stride);
    return;
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    const auto& v = table[static_cast<uint8_t>(codes[i])];
    for (size_t c = 0; c < 4; ++c) out[c * row_stride + i] = v[c];
  }
}

void base_indices(std::string_view codes, uint8_t* out) {
  static const std::array<uint8_t, 256> table = [] {
    std::array<uint8_t, 256> t;
    t.fill(4);
    for (auto [c, i] : {std::pair{'A', 0}, {'C', 1}, {'G', 2}, {'T', 3}, {'U', 3}}) {
      t[static_cast<uint8_t>(c)] = static_cast<uint8_t>(i);
      t[static_cast<uint8_t>(c + 32)] = static_cast<uint8_t>(i);
    }
    return t;
  }();
  for (size_t i = 0; i < codes.size(); ++i) out[i] = table[static_cast<uint8_t>(codes[i])];
}

void one_hot_bytes(std::string_view codes, uint8_t* out, size_t row_stride) {
  const auto* s = reinterpret_cast<const uint8_t*>(codes.data());
  for (size_t i = 0; i < codes.size(); ++i) {
    uint8_t u = upper(s[i]);
    out[i] = u == 'A';
    out[row_stride + i] = u == 'C';
    out[2 * row_stride + i] = u == 'G';
    out[3 * row_stride + i] = (u == 'T') | (u == 'U');
  }
}

}  // namespace seqdl::encode
