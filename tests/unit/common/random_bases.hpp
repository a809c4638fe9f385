// Seeded random sequences for tests, drawn uniformly from `alphabet` (repeat letters to weigh them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/random.hpp"

namespace seqdl::test {

inline std::string random_bases(size_t n, uint64_t seed, std::string_view alphabet = "ACGTacgtN") {
  Rng rng(seed);
  std::string s(n, 'A');
  for (auto& c : s) c = alphabet[rng.below(alphabet.size())];
  return s;
}

}  // namespace seqdl::test
