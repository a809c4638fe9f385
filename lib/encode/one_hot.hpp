// One-hot expansion of base codes into the [4, length] layout (channels A, C, G, T) that every model
// reads. Lowercase is uppercase; what N and other IUPAC codes become is the caller's choice.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/choices.hpp"

namespace seqdl::encode {

enum class Unknown {
  zero,     // N and IUPAC codes are all-zero columns (the default, as in the reference pipelines)
  uniform,  // any code other than A/C/G/T is 0.25 in each channel
  iupac,    // the fractions of the bases a code stands for: R = 0.5 A + 0.5 G, N = 0.25 each
};

inline constexpr Choices<Unknown, 3> kUnknownChoices{
    {{"zero", Unknown::zero}, {"uniform", Unknown::uniform}, {"iupac", Unknown::iupac}}};
// "zero" | "uniform" | "iupac"; UsageError naming `option` otherwise.
inline Unknown parse_unknown(std::string_view name, std::string_view option = "--unknown") {
  return parse_choice(kUnknownChoices, name, option);
}
inline std::string_view unknown_name(Unknown mode) { return choice_name(kUnknownChoices, mode); }

// The four channel values of every byte for one Unknown mode.
class OneHotTable {
 public:
  explicit OneHotTable(Unknown mode = Unknown::zero);
  Unknown mode() const { return mode_; }
  const std::array<float, 4>& operator[](uint8_t code) const { return table_[code]; }

 private:
  Unknown mode_;
  std::array<std::array<float, 4>, 256> table_{};
};

// Writes the one-hot columns of `codes` into out[c * row_stride + i] for channel c and position i.
// row_stride >= codes.size(); for a [batch, 4, L] tensor row_stride is L.
void one_hot(std::string_view codes, float* out, size_t row_stride, const OneHotTable& table);

// Base indices: 0..3 for A, C, G, T (U) in either case, 4 for anything else (an all-zero column).
void base_indices(std::string_view codes, uint8_t* out);

// The same as 0/1 bytes (Unknown::zero only: fractions do not fit a byte).
void one_hot_bytes(std::string_view codes, uint8_t* out, size_t row_stride);

}  // namespace seqdl::encode
