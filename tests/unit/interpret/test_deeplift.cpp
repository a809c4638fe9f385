#include <gtest/gtest.h>

#include <torch/torch.h>

#include "common/random_bases.hpp"
#include "common/zoo_models.hpp"

#include "infer/batches.hpp"
#include "interpret/deeplift.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {
namespace {

torch::Tensor one_hot(const std::string& codes, int64_t n, int64_t length) {
  return infer::one_hot_tensor(codes, n, length, encode::OneHotTable());
}

// Summation to delta for every input-reference pair, on random weights: the contributions of a pair add up to
// f(x) - f(r) (checked by DeepLift itself and here, independently, from its outputs).
void expect_summation_to_delta(std::unique_ptr<nn::Model> model, const std::string& target_name) {
  torch::manual_seed(11);
  const int64_t L = model->info().input_length, B = 3, R = 4;
  Target target(model->info(), {.target = target_name});
  DeepLift deeplift(*model->network(), target);
  // N columns of the input are checked by DeepLift's own per-pair error; the observed-base contributions leave
  // them out (they get 0, as in the reference), so the independent check below uses inputs without N.
  auto with_n = one_hot(test::random_bases(static_cast<size_t>(B * L), 3, "ACGTACGTN"), B, L);
  auto refs = one_hot(test::random_bases(static_cast<size_t>(B * R * L), 4), B * R, L).view({B, R, 4, L});
  EXPECT_LT(deeplift.explain(with_n, refs).worst_error.max().item<double>(), 1e-4);
  auto x = one_hot(test::random_bases(static_cast<size_t>(B * L), 8, "ACGTacgt"), B, L);
  DeepLiftResult r = deeplift.explain(x, refs);
  EXPECT_LT(r.worst_error.max().item<double>(), 1e-4);
  // Mean over the references of f(x) - f(r) equals the summed contributions of the observed bases.
  torch::NoGradGuard no_grad;
  auto f_x = target.score(model->forward(x));
  auto f_r = target.score(model->forward(refs.view({B * R, 4, L}))).view({B, R}).mean(1);
  auto total = r.contributions.sum({1, 2});
  for (int64_t b = 0; b < B; ++b) {
    double delta = f_x[b].item<double>() - f_r[b].item<double>();
    double scale = std::max({std::abs(delta), r.contributions[b].abs().sum().item<double>(), 1e-3});
    EXPECT_NEAR(total[b].item<double>(), delta, 1e-4 * scale) << "sequence " << b;
  }
  EXPECT_TRUE(torch::allclose(r.contributions, r.hypothetical * x));
}

}  // namespace

TEST(DeepLift, SummationToDeltaDeepBind) { expect_summation_to_delta(test::random_zoo_model("deepbind", 2), "t1"); }
TEST(DeepLift, SummationToDeltaBasset) { expect_summation_to_delta(test::random_zoo_model("basset", 2), "t0"); }
TEST(DeepLift, SummationToDeltaDeepSea) { expect_summation_to_delta(test::random_zoo_model("deepsea", 2), "t1"); }
TEST(DeepLift, SummationToDeltaSpliceAi) {
  auto model = test::random_zoo_model("spliceai80", 3);
  torch::manual_seed(2);
  const int64_t L = model->info().input_length;
  Target target(model->info(), {.target = "t2", .position = 2000, .window = 5});
  DeepLift deeplift(*model->network(), target);
  auto x = one_hot(test::random_bases(static_cast<size_t>(L), 5), 1, L);
  auto refs = one_hot(test::random_bases(static_cast<size_t>(2 * L), 6), 2, L).view({1, 2, 4, L});
  EXPECT_LT(deeplift.explain(x, refs).worst_error.max().item<double>(), 1e-4);
}
TEST(DeepLift, SummationToDeltaResidualTowerAndCrops) {
  expect_summation_to_delta(test::random_spec_model(test::graph_spec("bpnet_like"), 2), "t0");
}
TEST(DeepLift, SummationToDeltaBranchesPadsStridesElu) {
  expect_summation_to_delta(test::random_spec_model(test::graph_spec("branches"), 2), "t1");
}

// Overlapping max-pool windows share an input position: its share from each window is summed, not overwritten.
TEST(DeepLift, OverlappingMaxPoolWindowsAccumulate) {
  auto spec = nn::ArchSpec::from_json(nlohmann::json::parse(R"({"name": "pool", "input_length": 30, "layers": [
      {"type": "conv", "filters": 3, "kernel": 4}, {"type": "relu"}, {"type": "maxpool", "size": 5, "stride": 2},
      {"type": "flatten"}, {"type": "linear", "units": 1}]})"), "pool.json");
  expect_summation_to_delta(test::random_spec_model(spec, 1), "t0");
}

// A hand-computed case: y = relu(w . x + b) with one filter of width 1 summed by a global average pool.
// Input A (x = [1, 0, 0, 0]) against reference C: DeepLIFT's multiplier of the ReLU is (y(x) - y(r)) / (z(x) - z(r)).
TEST(DeepLift, HandComputedRescale) {
  auto spec = nn::ArchSpec::from_json(nlohmann::json::parse(R"({"name": "tiny", "input_length": 1, "layers": [
      {"type": "conv", "filters": 1, "kernel": 1}, {"type": "relu"}, {"type": "global_avgpool"}]})"), "tiny.json");
  auto model = test::random_spec_model(spec, 1);
  {
    torch::NoGradGuard no_grad;
    auto params = model->network()->named_parameters();
    params["0_conv.weight"].copy_(torch::tensor({2.0f, -1.0f, 0.5f, 0.0f}).view({1, 4, 1}));
    params["0_conv.bias"].fill_(-0.5f);
  }
  Target target(model->info(), {});
  DeepLift deeplift(*model->network(), target);
  auto x = torch::tensor({1.0f, 0.0f, 0.0f, 0.0f}).view({1, 4, 1});
  auto r = torch::tensor({0.0f, 1.0f, 0.0f, 0.0f}).view({1, 1, 4, 1});
  DeepLiftResult out = deeplift.explain(x, r);
  // z(x) = 2 - 0.5 = 1.5, z(r) = -1 - 0.5 = -1.5; y(x) = 1.5, y(r) = 0; multiplier 1.5 / 3 = 0.5 on each weight.
  // Hypothetical: m[b] - sum_c r[c] m[c] with m = 0.5 * w = [1, -0.5, 0.25, 0]: [1.5, 0, 0.75, 0.5].
  auto expected = torch::tensor({1.5f, 0.0f, 0.75f, 0.5f}).view({1, 4, 1});
  EXPECT_TRUE(torch::allclose(out.hypothetical, expected, 1e-6, 1e-6)) << out.hypothetical;
  EXPECT_NEAR(out.contributions.sum().item<double>(), 1.5, 1e-6);
}

TEST(DeepLift, LayersWithoutARuleAreRefusedByName) {
  for (const char* arch : {"danq", "transformer"}) {
    auto model = test::random_zoo_model(arch, 1);
    Target target(model->info(), {});
    try {
      DeepLift d(*model->network(), target);
      FAIL() << arch << " was accepted";
    } catch (const ModelError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find(std::string(arch) == "danq" ? "bilstm" : "positional_encoding"), std::string::npos) << what;
      EXPECT_NE(what.find("integrated-gradients"), std::string::npos) << what;
    }
  }
}

}  // namespace seqdl::interpret
