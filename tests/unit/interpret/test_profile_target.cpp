// Targets of profile models: the counts head by default, a named head on request, and the profile head's
// softmax-weighted logits (ChromBPNet / bpnet-lite: sum over positions of (logit - mean logit) x softmax(logits),
// the weights held constant) against values computed by hand here.
#include <gtest/gtest.h>

#include <cmath>

#include "interpret/target.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {
namespace {

nn::ModelInfo profile_model_info() {
  nn::ModelInfo info;
  info.input_length = 10;
  info.task_names = {"coverage"};
  info.heads = {{"profile", 1, true, 4, 3}, {"counts", 1, false, 0, 0}};
  nn::ProfileInfo p;
  p.tasks = {"coverage"};
  p.output_length = 4;
  p.output_offset = 3;
  info.profile = p;
  return info;
}

TEST(ProfileTarget, CountsHeadByDefaultAndNamedHeads) {
  const nn::ModelInfo info = profile_model_info();
  EXPECT_EQ(Target(info, {}).head(), 1u);
  EXPECT_EQ(Target(info, TargetSpec{.head = "profile"}).head(), 0u);
  EXPECT_EQ(Target(info, TargetSpec{.head = "1"}).head(), 1u);
  EXPECT_THROW((void)Target(info, TargetSpec{.head = "shape"}), UsageError);
  EXPECT_THROW((void)Target(info, TargetSpec{.head = "2"}), UsageError);
  EXPECT_THROW((void)Target(info, TargetSpec{.probability = true}), UsageError);
  auto counts = torch::tensor({2.5f, -1.0f}).view({2, 1});
  auto s = Target(info, {}).score(counts);
  EXPECT_FLOAT_EQ(s[0].item<float>(), 2.5f);
  EXPECT_FLOAT_EQ(s[1].item<float>(), -1.0f);
}

TEST(ProfileTarget, SoftmaxWeightedLogitsByHand) {
  const Target t(profile_model_info(), TargetSpec{.head = "profile"});
  const std::vector<float> logits = {1.0f, 2.0f, 0.5f, -1.0f};
  double z = 0, mean = 0;
  for (float v : logits) z += std::exp(static_cast<double>(v)), mean += v / 4.0;
  double want = 0;
  std::vector<double> weights;
  for (float v : logits) {
    const double p = std::exp(static_cast<double>(v)) / z;
    want += (v - mean) * p;
    weights.push_back(p - 0.25);
  }
  auto y = torch::tensor(logits).view({1, 1, 4});
  EXPECT_NEAR(t.score(y).item<double>(), want, 1e-6);
  // The seed (d score / d logits with the weights constant) is the weights: softmax minus 1/L.
  auto seed = t.seed(y);
  for (int64_t i = 0; i < 4; ++i) EXPECT_NEAR(seed[0][0][i].item<double>(), weights[static_cast<size_t>(i)], 1e-6);
  // A reference scored with its input's weights: linear in the reference's logits.
  auto r = torch::zeros({1, 1, 4});
  EXPECT_NEAR(t.score(r, y).item<double>(), 0.0, 1e-7);
  auto shifted = y + 3.0;  // adding a constant to every logit changes nothing (the weights sum to 0)
  EXPECT_NEAR(t.score(shifted, y).item<double>(), want, 1e-5);
}

}  // namespace
}  // namespace seqdl::interpret
