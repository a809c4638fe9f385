// Coverage-model losses against hand-computed values (the cases of ../shared/bench/reference/bpnet.py's
// self-test), the architecture adaptations (parameter counts by hand), and the batch tensors of one example.
#include <gtest/gtest.h>

#include <cmath>

#include "nn/network.hpp"
#include "train/profile_arch.hpp"
#include "train/profile_batches.hpp"
#include "train/profile_loss.hpp"
#include "util/error.hpp"

namespace seqdl::train {
namespace {

TEST(ProfileLoss, MultinomialNllByHand) {
  // counts (2, 0, 1) under uniform p: 3!/(2! 0! 1!) (1/3)^3 = 1/9; (1, 1, 0) under (1/2, 1/4, 1/4): 2 (1/2)(1/4) = 1/4.
  auto logits = torch::tensor({0.0f, 0.0f, 0.0f, std::log(2.0f), 0.0f, 0.0f}).view({2, 1, 3});
  auto counts = torch::tensor({2.0f, 0.0f, 1.0f, 1.0f, 1.0f, 0.0f}).view({2, 1, 3});
  auto nll = multinomial_nll(logits, counts);
  EXPECT_NEAR(nll[0][0].item<double>(), std::log(9.0), 1e-5);
  EXPECT_NEAR(nll[1][0].item<double>(), std::log(4.0), 1e-5);
  // Totals 3 and 2: log(1 + total) = log 4, log 3; predicted log 4 and 0; lambda 2.
  auto log_counts = torch::tensor({std::log(4.0f), 0.0f}).view({2, 1});
  ProfileLossParts p = profile_loss(logits, log_counts, counts, 2.0);
  const double want = (std::log(9.0) + std::log(4.0)) / 2 + 2.0 * (std::log(3.0) * std::log(3.0)) / 2;
  EXPECT_NEAR(p.total.item<double>(), want, 1e-5);
  EXPECT_NEAR(p.mse.item<double>(), std::log(3.0) * std::log(3.0) / 2, 1e-6);
}

TEST(ProfileLoss, StrandsAddUpPerExample) {
  // Two channels: the MNLL is summed over channels, the counts MSE averaged.
  auto logits = torch::zeros({1, 2, 3});
  auto counts = torch::tensor({2.0f, 0.0f, 1.0f, 2.0f, 0.0f, 1.0f}).view({1, 2, 3});
  auto log_counts = torch::tensor({std::log(4.0f), 0.0f}).view({1, 2});
  ProfileLossParts p = profile_loss(logits, log_counts, counts, 1.0);
  EXPECT_NEAR(p.mnll.item<double>(), 2 * std::log(9.0), 1e-5);
  EXPECT_NEAR(p.mse.item<double>(), std::log(4.0) * std::log(4.0) / 2, 1e-5);
}

TEST(ProfileLoss, TrackLosses) {
  // Poisson with a log link, constant included: output 0 (rate 1), target 2: 1 - 0 + log 2!.
  auto out = torch::zeros({1, 1, 1});
  auto target = torch::full({1, 1, 1}, 2.0f);
  EXPECT_NEAR(track_loss(out, target, TrackLoss::poisson).item<double>(), 1 + std::log(2.0), 1e-6);
  EXPECT_NEAR(track_loss(out, target, TrackLoss::mse).item<double>(), std::log(3.0) * std::log(3.0), 1e-6);
  EXPECT_NEAR(track_prediction(torch::full({1}, std::log(3.0f)), TrackLoss::mse).item<double>(), 2.0, 1e-5);
}

int64_t parameters(const nn::ArchSpec& spec, int64_t length, int64_t tasks) {
  return nn::Network(spec, length, tasks)->parameter_count();
}

TEST(ProfileArch, OptionsChangeTheShapes) {
  nn::ArchSpec bpnet = nn::load_arch("bpnet");
  // filters F, layers N, stem k, profile kernel p: (4k + 1) F + N (3 F F + F) + (F p + 1) T + (F + 1) T
  auto count = [](int64_t F, int64_t N, int64_t k, int64_t p, int64_t T) {
    return (4 * k + 1) * F + N * (3 * F * F + F) + (F * p + 1) * T + (F + 1) * T;
  };
  EXPECT_EQ(parameters(bpnet, 2114, 1), count(64, 8, 21, 75, 1));
  nn::ArchSpec small = adapt_coverage_arch(bpnet, {{"filters=32", "layers=4", "stem-kernel=11", "profile-kernel=25"}, 500, 0});
  EXPECT_EQ(parameters(small, 1000, 2), count(32, 4, 11, 25, 2));
  nn::Network net(small, 1000, 2);
  auto heads = net->forward_heads(torch::zeros({1, 4, 1000}));
  EXPECT_EQ(heads[0].sizes(), (std::vector<int64_t>{1, 2, 500}));
  EXPECT_EQ(heads[1].sizes(), (std::vector<int64_t>{1, 2}));
  EXPECT_THROW(adapt_coverage_arch(bpnet, {{"width=3"}, 0, 0}), UsageError);
  EXPECT_THROW(adapt_coverage_arch(bpnet, {{"profile-kernel=24"}, 0, 0}), UsageError);
  EXPECT_THROW(adapt_coverage_arch(nn::load_arch("deepbind"), {{"filters=8"}, 0, 0}), UsageError);
}

TEST(ProfileArch, BinnedTrackHead) {
  nn::ArchSpec tracks = adapt_coverage_arch(nn::load_arch("bpnet"), {{}, 0, 50});
  nn::Network net(tracks, 2114, 1);
  auto heads = net->forward_heads(torch::zeros({1, 4, 2114}));
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].sizes(), (std::vector<int64_t>{1, 1, 20}));
}

TEST(ProfileArch, BiasFactorisedHeads) {
  nn::ArchSpec main = nn::load_arch("bpnet");
  nn::ArchSpec bias = adapt_coverage_arch(main, {{"filters=8", "layers=2"}, 0, 0});
  nn::ArchSpec both = add_bias_model(main, bias, "bias.seqdl");
  EXPECT_EQ(parameters(both, 2114, 1), parameters(main, 2114, 1) + parameters(bias, 2114, 1));
  torch::manual_seed(3);
  nn::Network net(both, 2114, 1);
  nn::Network b(bias, 2114, 1), m(main, 2114, 1);
  // Copy the combined network's weights into separate main and bias networks: the heads must combine as ChromBPNet's.
  torch::NoGradGuard no_grad;
  auto combined = net->named_parameters();
  for (auto& p : m->named_parameters()) p.value().copy_(combined[p.key()]);
  for (auto& p : b->named_parameters()) p.value().copy_(combined[bias_weight_name(p.key())]);
  auto x = torch::zeros({2, 4, 2114});
  x.index_put_({torch::indexing::Slice(), 1, torch::indexing::Slice(0, 2114, 3)}, 1.0);
  auto h = net->forward_heads(x), hm = m->forward_heads(x), hb = b->forward_heads(x);
  ASSERT_EQ(h.size(), 4u);
  EXPECT_TRUE(torch::allclose(h[0], hm[0] + hb[0], 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(h[1], torch::logsumexp(torch::stack({hm[1], hb[1]}), 0), 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(h[2], hm[0]));
  EXPECT_TRUE(torch::allclose(h[3], hm[1]));
}

TEST(ProfileBatches, ExampleTensors) {
  data::ProfileExample e;
  e.bases = "ACGTN";
  e.strands = 2;
  e.counts = {1, 2, 3, 4, 5, 6, 7, 8};  // plus 1..4, minus 5..8
  auto x = torch::empty({1, 5}, torch::kUInt8);
  auto y = torch::empty({1, 2, 4});
  torch::Tensor none;
  write_example(e, 0, 0, x, y, none);
  EXPECT_EQ(x[0][4].item<int>(), 4);  // N
  EXPECT_FLOAT_EQ(y[0][1][0].item<float>(), 5);
  auto binned = torch::empty({1, 2, 2});
  write_example(e, 0, 2, x, binned, none);
  EXPECT_FLOAT_EQ(binned[0][0][1].item<float>(), 7);   // 3 + 4
  EXPECT_FLOAT_EQ(binned[0][1][0].item<float>(), 11);  // 5 + 6
  data::reverse_complement(e);
  write_example(e, 0, 0, x, y, none);
  EXPECT_FLOAT_EQ(y[0][0][0].item<float>(), 8);  // the minus row reversed is now plus
  EXPECT_EQ(x[0][0].item<int>(), 4);             // N first
  EXPECT_EQ(x[0][1].item<int>(), 0);             // complement of T
}

}  // namespace
}  // namespace seqdl::train
