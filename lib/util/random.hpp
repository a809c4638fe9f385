// A small seeded generator whose streams are the same on every platform and standard library
// (std::uniform_int_distribution is not), so that --seed reproduces splits and shuffles anywhere.
// An Rng is a plain value: copy it to replay a stream; give each thread its own (it has no lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace seqdl {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    // SplitMix64 expands the seed into xoshiro256**'s state.
    for (auto& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t next() {  // xoshiro256**
    uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) without modulo bias (Lemire's method). n must be > 0.
  uint64_t below(uint64_t n) {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)

  template <class T>
  void shuffle(std::vector<T>& v) {  // Fisher-Yates
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

  // Independent streams of one seed for named sub-tasks (split, initialisation, batch order,
  // augmentation), so that more draws in one place never shift the draws of another.
  Rng(uint64_t seed, uint64_t stream) : Rng(seed ^ (0xd1b54a32d192ed03ULL * (stream + 1))) {}

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4]{};
};

}  // namespace seqdl
