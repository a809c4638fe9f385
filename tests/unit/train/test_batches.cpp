#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "encode/bases.hpp"
#include "train/batches.hpp"
#include "train/objective.hpp"
#include "util/random.hpp"

namespace seqdl::train {
namespace {

data::LabelledSet small_set(size_t n, int64_t length) {
  data::LabelledSet set;
  set.type = data::TaskType::binary;
  set.task_names = {"y"};
  set.length = length;
  std::string seq(static_cast<size_t>(length), 'A');
  Rng rng(42);
  for (size_t i = 0; i < n; ++i) {
    for (auto& c : seq) c = "ACGT"[rng.below(4)];
    float y = static_cast<float>(i % 2);
    set.add(fmt::format("s{}", i), seq, &y, 0);
  }
  return set;
}

std::vector<std::string> decode(const torch::Tensor& indices) {
  std::vector<std::string> out;
  for (int64_t i = 0; i < indices.size(0); ++i) {
    std::string s;
    for (int64_t k = 0; k < indices.size(1); ++k) s += "ACGTN"[indices[i][k].item<int>()];
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST(Batches, EveryExampleOncePerEpochInASeededOrder) {
  auto set = small_set(10, 8);
  encode::OneHotTable table;
  std::vector<std::string> first, again, other;
  for (auto* out : {&first, &again}) {
    BatchStream s(set, 4, 1, 3, {}, table);
    while (auto b = s.next()) {
      auto seqs = decode(b->x);
      out->insert(out->end(), seqs.begin(), seqs.end());
    }
  }
  EXPECT_EQ(first, again);  // same seed and epoch: same order
  BatchStream s(set, 4, 1, 4, {}, table);
  while (auto b = s.next()) {
    auto seqs = decode(b->x);
    other.insert(other.end(), seqs.begin(), seqs.end());
  }
  EXPECT_NE(first, other);  // another epoch: another order
  std::multiset<std::string> a(first.begin(), first.end()), b(other.begin(), other.end());
  EXPECT_EQ(a, b);
  EXPECT_EQ(first.size(), 10u);
}

TEST(Batches, ALoneLastExampleSitsOutTheEpoch) {
  EXPECT_EQ(BatchStream::batches_for(9, 4), 2);  // 4 + 4 + 1: batch norm cannot train on one example
  EXPECT_EQ(BatchStream::batches_for(10, 4), 3);
  EXPECT_EQ(BatchStream::batches_for(1, 4), 1);
}

TEST(Batches, AugmentationReverseComplementsOrShiftsSequencesItSees) {
  auto set = small_set(40, 12);
  std::set<std::string> originals;
  for (size_t i = 0; i < set.size(); ++i) originals.insert(std::string(set.sequence(i)));
  encode::OneHotTable table;
  BatchStream s(set, 8, 2, 1, {.reverse_complement = true}, table);
  int flipped = 0;
  while (auto b = s.next()) {
    for (const auto& seq : decode(b->x)) {
      if (originals.count(seq)) continue;
      EXPECT_TRUE(originals.count(encode::reverse_complement(seq))) << seq;
      ++flipped;
    }
  }
  EXPECT_GT(flipped, 10);
  EXPECT_LT(flipped, 30);
  BatchStream shifted(set, 40, 2, 1, {.max_shift = 3}, table);
  auto b = shifted.next();
  for (const auto& seq : decode(b->x)) {
    size_t n = std::count(seq.begin(), seq.end(), 'N');
    EXPECT_LE(n, 3u);
    std::string core = seq.substr(seq.find_first_not_of('N'));
    core = core.substr(0, core.find('N'));
    bool found = false;
    for (const auto& o : originals) found = found || o.find(core) != std::string::npos;
    EXPECT_TRUE(found) << seq;
  }
}

// Data parallelism: rank r of 2 with batch 4 takes batches r, r + 2, ... of the epoch; together the two ranks'
// k-th batches are one process's k-th batch of 8, augmentation included (the ranks draw for each other's examples).
TEST(Batches, TwoRanksTogetherSeeOneProcessWithTwiceTheBatch) {
  auto set = small_set(43, 12);
  encode::OneHotTable table;
  AugmentOptions augment{.reverse_complement = true, .max_shift = 2};
  BatchStream one(set, 8, 5, 2, augment, table);
  BatchStream rank0(set, 4, 5, 2, augment, table, 0, 2), rank1(set, 4, 5, 2, augment, table, 1, 2);
  EXPECT_EQ(rank0.batches(), 5);  // 11 batches of 4 (the last of 3): 5 each, the 11th sits the epoch out
  EXPECT_EQ(one.batches(), 6);
  for (int k = 0; k < rank0.batches(); ++k) {
    auto whole = decode(one.next()->x), a = decode(rank0.next()->x), b = decode(rank1.next()->x);
    a.insert(a.end(), b.begin(), b.end());
    EXPECT_EQ(a, whole) << "step " << k;
  }
  EXPECT_FALSE(rank0.next());
  EXPECT_FALSE(rank1.next());
}

TEST(Objective, AutomaticPositiveWeights) {
  auto set = small_set(12, 8);  // 6 positives, 6 negatives
  float one = 1;
  set.add("extra", std::string(8, 'A'), &one, 0);  // 7 : 6
  Objective o(set, "auto", ClassWeights::none);
  EXPECT_NEAR(o.weights()[0].item<double>(), 6.0 / 7.0, 1e-6);
  // BCE with logits and pos_weight, computed by hand for one example each way.
  auto logits = torch::tensor({{2.0f}, {-1.0f}}), labels = torch::tensor({{1.0f}, {0.0f}});
  double w = 6.0 / 7.0;
  double expected = (w * std::log1p(std::exp(-2.0)) + std::log1p(std::exp(-1.0))) / 2;
  EXPECT_NEAR(o.loss(logits, labels).item<double>(), expected, 1e-6);
}

TEST(Objective, PerPositionOutputsUseTheCentre) {
  auto logits = torch::arange(2 * 3 * 5, torch::kFloat32).reshape({2, 3, 5});
  auto centre = Objective::sequence_outputs(logits);
  EXPECT_EQ(centre.sizes(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(centre[1][2].item<float>(), logits[1][2][2].item<float>());
}

}  // namespace seqdl::train
