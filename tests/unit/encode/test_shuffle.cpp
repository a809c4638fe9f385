#include <gtest/gtest.h>

#include <map>
#include <set>

#include "encode/shuffle.hpp"

namespace seqdl::encode {
namespace {

std::map<std::string, int> dinucleotides(const std::string& s) {
  std::map<std::string, int> counts;
  for (size_t i = 0; i + 1 < s.size(); ++i) ++counts[s.substr(i, 2)];
  return counts;
}

// Every arrangement of the sequence's letters with the same dinucleotide counts and first letter
// (brute force over permutations: an independent description of the target set).
std::set<std::string> same_dinucleotide_sequences(std::string s) {
  std::set<std::string> out;
  auto target = dinucleotides(s);
  std::sort(s.begin(), s.end());
  do {
    if (dinucleotides(s) == target) out.insert(s);
  } while (std::next_permutation(s.begin(), s.end()));
  return out;
}

}  // namespace

TEST(Shuffle, KeepsDinucleotideCountsAndEnds) {
  Rng rng(3);
  std::string seq = "ACGTTGCAAACCGGTTTACGATCGATCGGGAAATTTCCCNNacgtACGT";
  for (int i = 0; i < 50; ++i) {
    std::string s = dinucleotide_shuffle(seq, rng);
    ASSERT_EQ(dinucleotides(s), dinucleotides(seq));
    ASSERT_EQ(s.front(), seq.front());
    ASSERT_EQ(s.back(), seq.back());
  }
}

TEST(Shuffle, SeededAndVaried) {
  std::string seq = "ACGTTGCAAACCGGTTTACGATCGATCGGGAAATTTCCC";
  Rng a(11), b(11), c(12);
  std::string sa = dinucleotide_shuffle(seq, a);
  EXPECT_EQ(sa, dinucleotide_shuffle(seq, b));
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) seen.insert(dinucleotide_shuffle(seq, c));
  EXPECT_GT(seen.size(), 15u);
}

TEST(Shuffle, IsUniformOverSequencesWithTheSameDinucleotides) {
  std::string seq = "AACGTACGGTCA";
  auto all = same_dinucleotide_sequences(seq);
  ASSERT_GT(all.size(), 5u);
  Rng rng(5);
  std::map<std::string, int> counts;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    std::string s = dinucleotide_shuffle(seq, rng);
    ASSERT_TRUE(all.count(s)) << s;
    ++counts[s];
  }
  EXPECT_EQ(counts.size(), all.size());  // every valid sequence is reachable
  double expected = static_cast<double>(draws) / static_cast<double>(all.size());
  double chi2 = 0;
  for (const auto& s : all) chi2 += (counts[s] - expected) * (counts[s] - expected) / expected;
  // Degrees of freedom = |all| - 1; a generous bound that a biased walk fails by far.
  EXPECT_LT(chi2, 3.0 * static_cast<double>(all.size())) << "chi2 " << chi2 << " over " << all.size();
}

TEST(Shuffle, ShortSequencesAreUnchanged) {
  Rng rng(1);
  EXPECT_EQ(dinucleotide_shuffle("AC", rng), "AC");
  EXPECT_EQ(dinucleotide_shuffle("", rng), "");
}

TEST(Shuffle, MononucleotideKeepsComposition) {
  Rng rng(2);
  std::string seq = "AACCCGGGGT";
  std::string s = mononucleotide_shuffle(seq, rng);
  std::string a = s, b = seq;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

}  // namespace seqdl::encode
