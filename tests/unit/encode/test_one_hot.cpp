#include <gtest/gtest.h>

#include <vector>

#include "encode/one_hot.hpp"
#include "util/error.hpp"

namespace seqdl::encode {
namespace {

// Column i of a [4, L] buffer as {A, C, G, T}.
std::array<float, 4> column(const std::vector<float>& x, size_t L, size_t i) {
  return {x[i], x[L + i], x[2 * L + i], x[3 * L + i]};
}

std::vector<float> encode_all(std::string_view s, Unknown mode) {
  std::vector<float> x(4 * s.size(), -1.0f);
  one_hot(s, x.data(), s.size(), OneHotTable(mode));
  return x;
}

using Col = std::array<float, 4>;

}  // namespace

TEST(OneHot, ChannelsAreACGTAndLowercaseIsUppercase) {
  auto x = encode_all("ACGTacgtUu", Unknown::zero);
  EXPECT_EQ(column(x, 10, 0), (Col{1, 0, 0, 0}));
  EXPECT_EQ(column(x, 10, 1), (Col{0, 1, 0, 0}));
  EXPECT_EQ(column(x, 10, 2), (Col{0, 0, 1, 0}));
  EXPECT_EQ(column(x, 10, 3), (Col{0, 0, 0, 1}));
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(column(x, 10, i + 4), column(x, 10, i));
  EXPECT_EQ(column(x, 10, 8), (Col{0, 0, 0, 1}));  // U reads as T
  EXPECT_EQ(column(x, 10, 9), (Col{0, 0, 0, 1}));
}

TEST(OneHot, UnknownModes) {
  auto zero = encode_all("NRn", Unknown::zero);
  EXPECT_EQ(column(zero, 3, 0), (Col{0, 0, 0, 0}));
  EXPECT_EQ(column(zero, 3, 1), (Col{0, 0, 0, 0}));

  auto uniform = encode_all("NRA", Unknown::uniform);
  EXPECT_EQ(column(uniform, 3, 0), (Col{0.25f, 0.25f, 0.25f, 0.25f}));
  EXPECT_EQ(column(uniform, 3, 1), (Col{0.25f, 0.25f, 0.25f, 0.25f}));
  EXPECT_EQ(column(uniform, 3, 2), (Col{1, 0, 0, 0}));

  auto iupac = encode_all("NRyBk", Unknown::iupac);
  EXPECT_EQ(column(iupac, 5, 0), (Col{0.25f, 0.25f, 0.25f, 0.25f}));
  EXPECT_EQ(column(iupac, 5, 1), (Col{0.5f, 0, 0.5f, 0}));      // R = A or G
  EXPECT_EQ(column(iupac, 5, 2), (Col{0, 0.5f, 0, 0.5f}));      // y = C or T
  EXPECT_EQ(column(iupac, 5, 3), (Col{0, 1 / 3.0f, 1 / 3.0f, 1 / 3.0f}));  // B = not A
  EXPECT_EQ(column(iupac, 5, 4), (Col{0, 0, 0.5f, 0.5f}));      // k = G or T
}

TEST(OneHot, WritesIntoARowStride) {
  // Two sequences of 3 in a [2, 4, 5] buffer with stride 5: unused positions stay untouched.
  std::vector<float> x(2 * 4 * 5, 9.0f);
  OneHotTable t;
  one_hot("ACG", x.data(), 5, t);
  one_hot("TTT", x.data() + 20, 5, t);
  EXPECT_EQ(x[0], 1.0f);
  EXPECT_EQ(x[3], 9.0f);
  EXPECT_EQ(x[20 + 15], 1.0f);  // T channel of the second sequence
}

TEST(OneHot, BytesMatchFloats) {
  std::string s = "ACGTNacgtnRY";
  std::vector<uint8_t> b(4 * s.size());
  one_hot_bytes(s, b.data(), s.size());
  auto f = encode_all(s, Unknown::zero);
  for (size_t i = 0; i < b.size(); ++i) EXPECT_EQ(static_cast<float>(b[i]), f[i]) << i;
}

TEST(OneHot, ParsesModeNames) {
  EXPECT_EQ(parse_unknown("iupac"), Unknown::iupac);
  EXPECT_THROW(parse_unknown("random"), UsageError);
}

}  // namespace seqdl::encode
