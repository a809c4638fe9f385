#include <gtest/gtest.h>

#include <torch/torch.h>

#include "common/random_bases.hpp"
#include "common/zoo_models.hpp"

#include "encode/bases.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"
#include "infer/window_runner.hpp"

namespace seqdl::infer {
namespace {

// Shared-trunk (or whole-chunk) outputs must equal the window-by-window computation to 1e-5 relative.
void expect_same_as_windows(std::unique_ptr<nn::Model> model, int64_t stride, int64_t windows, bool expect_shared,
                            Strands strands = Strands::none) {
  const auto& info = model->info();
  WindowGeometry g;
  g.window = info.input_length;
  if (info.per_position()) {
    g.step = g.bin = info.output_positions();
    g.bin_offset = info.output_offset();
  } else {
    g.step = g.bin = stride;
    g.bin_offset = (g.window - stride) / 2;
  }
  encode::OneHotTable table;
  WindowRunner shared(*model, g, strands, true, 64, table, true);
  WindowRunner plain(*model, g, strands, true, 64, table, false);
  EXPECT_EQ(shared.shared(), expect_shared) << shared.description();
  std::string codes = test::random_bases(static_cast<size_t>((windows - 1) * g.step + g.window), 11);
  auto heads_a = shared.run_heads(codes, windows), heads_b = plain.run_heads(codes, windows);
  ASSERT_EQ(heads_a.size(), heads_b.size());
  for (size_t h = 0; h < heads_a.size(); ++h) {
    const auto &a = heads_a[h], &b = heads_b[h];
    ASSERT_EQ(a.sizes(), b.sizes());
    double scale = b.abs().max().item<double>();
    double diff = (a - b).abs().max().item<double>();
    EXPECT_LE(diff, 1e-5 * scale) << shared.description() << ": head " << h << ": max difference " << diff
                                  << " at scale " << scale;
  }
}

void expect_same_as_windows(const std::string& arch, int64_t stride, int64_t windows, bool expect_shared,
                            Strands strands = Strands::none) {
  SCOPED_TRACE(arch + " stride " + std::to_string(stride));
  expect_same_as_windows(test::random_zoo_model(arch, 3), stride, windows, expect_shared, strands);
}

}  // namespace

TEST(SharedTrunk, DeepBindSlidingMaxAtStrideOne) { expect_same_as_windows("deepbind", 1, 500, true); }
TEST(SharedTrunk, DeepBindAtOtherStrides) { expect_same_as_windows("deepbind", 7, 200, true); }
TEST(SharedTrunk, BassetAtItsPoolingFactor) { expect_same_as_windows("basset", 48, 40, true); }
TEST(SharedTrunk, BassetAtAStrideThatIsNotAMultipleFallsBack) { expect_same_as_windows("basset", 50, 10, false); }
TEST(SharedTrunk, DeepSea) { expect_same_as_windows("deepsea", 16, 24, true); }
TEST(SharedTrunk, DanQ) { expect_same_as_windows("danq", 13, 16, true); }
TEST(SharedTrunk, SpliceAiWholeChunks) { expect_same_as_windows("spliceai80", 0, 4, true); }
TEST(SharedTrunk, TransformerFallsBackToWindows) { expect_same_as_windows("transformer", 100, 6, false); }
// Per-position heads cropped to where the padding cannot reach: whole chunks, both heads equal.
TEST(SharedTrunk, ResidualTowerWholeChunks) {
  expect_same_as_windows(test::random_spec_model(test::graph_spec("bpnet_like"), 2), 0, 5, true);
  expect_same_as_windows(test::random_spec_model(test::graph_spec("bpnet_like"), 2), 0, 4, true, Strands::mean);
}
// A trunk whose edge values depend on padding cannot be shared; a per-window model of branches can at its stride.
TEST(SharedTrunk, BranchesShareOnlyWhereExact) {
  auto spec = test::graph_spec("branches");
  expect_same_as_windows(test::random_spec_model(spec, 2), 6, 12, false);  // the pad layer sees window edges
}
TEST(SharedTrunk, BothStrands) {
  expect_same_as_windows("deepbind", 1, 300, true, Strands::mean);
  expect_same_as_windows("basset", 48, 12, true, Strands::max);
  expect_same_as_windows("spliceai80", 0, 3, true, Strands::mean);
}

TEST(Strands, ReverseStrandOfAWindowIsItsReverseComplement) {
  // The combined value of window i must use the reverse complement of window i itself.
  auto model = test::random_zoo_model("deepbind", 1);
  WindowGeometry g{101, 5, 5, 48, true};
  encode::OneHotTable table;
  WindowRunner both(*model, g, Strands::mean, true, 64, table, false);
  WindowRunner one(*model, g, Strands::none, true, 64, table, false);
  std::string codes = test::random_bases(101 + 9 * 5, 3);
  auto combined = both.run(codes, 10);
  for (int64_t i = 0; i < 10; ++i) {
    std::string w = codes.substr(static_cast<size_t>(i * 5), 101);
    double f = one.run(w, 1)[0][0].item<double>();
    double r = one.run(encode::reverse_complement(w), 1)[0][0].item<double>();
    EXPECT_NEAR(combined[i][0].item<double>(), (f + r) / 2, 1e-5 * (std::abs(f) + std::abs(r) + 1));
  }
}

}  // namespace seqdl::infer
