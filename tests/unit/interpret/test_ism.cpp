#include <gtest/gtest.h>

#include <torch/torch.h>

#include "common/random_bases.hpp"
#include "common/zoo_models.hpp"

#include "interpret/local_recompute.hpp"
#include "interpret/mutants.hpp"
#include "nn/network.hpp"

namespace seqdl::interpret {
namespace {

// Substitutions at the two ends (where slices run off the sequence) and in the middle.
std::vector<Mutant> sample_mutants(const std::string& seq, int64_t per_region) {
  auto L = static_cast<int64_t>(seq.size());
  std::vector<Mutant> out;
  for (auto [a, b] : {std::pair{int64_t{0}, per_region}, {L / 2 - per_region / 2, L / 2 + per_region / 2},
                      {L - per_region, L}}) {
    auto part = mutants_of(seq, a, b);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

void expect_fast_equals_naive(std::unique_ptr<nn::Model> model, int64_t per_region, const std::string& target_name,
                              encode::Unknown unknown = encode::Unknown::zero) {
  ASSERT_EQ(LocalRecompute::why_not(*model), "");
  Target target(model->info(), {.target = target_name});
  encode::OneHotTable table(unknown);
  LocalScorer fast(*model, target, 97, table);  // an odd batch size: batches end mid-position
  NaiveScorer naive(*model, target, 64, table);
  std::string seq = test::random_bases(static_cast<size_t>(model->info().input_length), 5, "ACGTACGTacgtN");
  auto mutants = sample_mutants(seq, per_region);
  auto [ref_fast, fast_scores] = fast.score(seq, mutants);
  auto [ref_naive, naive_scores] = naive.score(seq, mutants);
  EXPECT_NEAR(ref_fast, ref_naive, 1e-5 * (std::abs(ref_naive) + 1));
  double scale = 0, worst = 0;
  for (size_t m = 0; m < mutants.size(); ++m) {
    scale = std::max(scale, std::abs(static_cast<double>(naive_scores[m] - ref_naive)));
    worst = std::max(worst, std::abs(static_cast<double>(fast_scores[m] - naive_scores[m])));
  }
  EXPECT_GT(scale, 0.0) << "no mutation changed the output: the test would prove nothing";
  EXPECT_LE(worst, 1e-4 * std::max(scale, std::abs(static_cast<double>(ref_naive)))) << "largest difference " << worst;
}

void expect_fast_equals_naive(const std::string& arch, int64_t per_region, const std::string& target_name = "t1") {
  SCOPED_TRACE(arch);
  expect_fast_equals_naive(test::random_zoo_model(arch, 2), per_region, target_name);
}

}  // namespace

TEST(FastIsm, DeepBind) { expect_fast_equals_naive("deepbind", 30); }
TEST(FastIsm, Basset) { expect_fast_equals_naive("basset", 12); }
TEST(FastIsm, DeepSea) { expect_fast_equals_naive("deepsea", 6); }
TEST(FastIsm, DanQ) { expect_fast_equals_naive("danq", 6); }
// The conv stem is recomputed locally; attention then runs on the whole spliced sequence.
TEST(FastIsm, Transformer) { expect_fast_equals_naive("transformer", 3); }
// Padded convolutions inside residual additions, crops, a second head; and branches, pads, strides.
TEST(FastIsm, ResidualTowerWithPaddingAndCrops) {
  expect_fast_equals_naive(test::random_spec_model(test::graph_spec("bpnet_like"), 2), 20, "t1");
}
TEST(FastIsm, BranchesPadsAndStrides) {
  expect_fast_equals_naive(test::random_spec_model(test::graph_spec("branches"), 2), 20, "t0");
}
// Padding must stay zero where N is 0.25 per channel.
TEST(FastIsm, UniformEncodingKeepsPaddingZero) {
  auto spec = test::graph_spec("bpnet_like");
  expect_fast_equals_naive(test::random_spec_model(spec, 2, 7, encode::Unknown::uniform), 20, "t1", encode::Unknown::uniform);
}
TEST(FastIsm, SpliceAi) {
  // Per-position: the centre output, for positions within and beyond its 81-base receptive field.
  auto model = test::random_zoo_model("spliceai80", 3);
  Target target(model->info(), {.target = "t2", .position = 2500});
  encode::OneHotTable table;
  LocalScorer fast(*model, target, 64, table);
  NaiveScorer naive(*model, target, 64, table);
  std::string seq = test::random_bases(5080, 9, "ACGTACGTacgtN");
  // Output position 2500 reads inputs 2500-2580: substitutions outside, inside and across its edges.
  std::vector<Mutant> mutants;
  for (auto [a, b] : {std::pair{2495, 2505}, {2535, 2545}, {2575, 2585}}) {
    auto part = mutants_of(seq, a, b);
    mutants.insert(mutants.end(), part.begin(), part.end());
  }
  auto a = fast.score(seq, mutants), b = naive.score(seq, mutants);
  for (size_t m = 0; m < mutants.size(); ++m) EXPECT_NEAR(a.second[m], b.second[m], 1e-4) << m;
}


TEST(Mutants, ThreePerBaseAndFourAtN) {
  auto m = mutants_of("ACNt", 0, 4);
  EXPECT_EQ(m.size(), 3u + 3u + 4u + 3u);
  std::vector<float> deltas(16, 9.0f), scores(m.size(), 2.0f);
  scatter_deltas(m, scores.data(), 0.5f, deltas.data(), 4);
  EXPECT_EQ(deltas[0 * 4 + 0], 0.0f);  // A at position 0 is the reference base
  EXPECT_EQ(deltas[1 * 4 + 0], 1.5f);
  EXPECT_EQ(deltas[0 * 4 + 2], 1.5f);  // every base is a mutant at the N
  EXPECT_EQ(deltas[3 * 4 + 3], 0.0f);  // lowercase t is the reference
}

}  // namespace seqdl::interpret
