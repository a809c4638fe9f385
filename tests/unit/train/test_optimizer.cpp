#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>

#include "train/flat_optimizer.hpp"
#include "util/error.hpp"

namespace seqdl::train {
namespace {

// Adam written out for one scalar in double precision from Kingma & Ba (2015), Algorithm 1, with PyTorch's
// placement of eps (outside the bias-corrected square root) and L2 / decoupled decay.
struct ScalarAdam {
  double p, m = 0, v = 0;
  int t = 0;
  void step(double g, double lr, double wd, bool decoupled) {
    ++t;
    if (!decoupled) g += wd * p;
    if (decoupled) p *= 1 - lr * wd;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    double mhat = m / (1 - std::pow(0.9, t));
    p -= lr * mhat / (std::sqrt(v) / std::sqrt(1 - std::pow(0.999, t)) + 1e-8);
  }
};

void check_adam(OptimizerKind kind, double wd) {
  torch::manual_seed(0);
  auto a = torch::randn({7, 3}, torch::requires_grad()), b = torch::randn({5}, torch::requires_grad());
  std::vector<ScalarAdam> reference;
  for (auto* t : {&a, &b}) {
    auto values = t->detach().flatten();
    for (int64_t i = 0; i < values.numel(); ++i) reference.push_back({values[i].item<double>()});
  }
  FlatOptimizer opt({a, b}, {.kind = kind, .lr = 0.01, .weight_decay = wd});
  for (int step = 0; step < 5; ++step) {
    opt.zero_grad();
    ((a * a).sum() * 0.5 + (b.pow(3)).sum()).backward();  // gradients a and 3 b^2
    size_t k = 0;
    for (auto* t : {&a, &b}) {
      auto grads = t->grad().flatten();
      for (int64_t i = 0; i < grads.numel(); ++i) reference[k++].step(grads[i].item<double>(), 0.01, wd, kind == OptimizerKind::adamw);
    }
    opt.step(0.01);
  }
  size_t k = 0;
  for (auto* t : {&a, &b}) {
    auto values = t->detach().flatten();
    for (int64_t i = 0; i < values.numel(); ++i) EXPECT_NEAR(values[i].item<double>(), reference[k++].p, 2e-6) << choice_name(kOptimizerChoices, kind);
  }
  EXPECT_EQ(opt.steps(), 5);
}

}  // namespace

TEST(FlatOptimizer, AdamMatchesTheAlgorithm) { check_adam(OptimizerKind::adam, 0.0); }
TEST(FlatOptimizer, AdamWithL2) { check_adam(OptimizerKind::adam, 0.1); }
TEST(FlatOptimizer, AdamWDecouplesDecay) { check_adam(OptimizerKind::adamw, 0.1); }

TEST(FlatOptimizer, SgdWithMomentum) {
  auto w = torch::tensor({1.0f, -2.0f}, torch::requires_grad());
  FlatOptimizer opt({w}, {.kind = OptimizerKind::sgd, .lr = 0.1, .momentum = 0.9});
  // PyTorch's momentum (dampening 0): buf = 0.9 buf + g; w -= lr buf. With loss = sum(w^2): g = 2w.
  double w0 = 1.0, buf = 0;
  for (int step = 0; step < 3; ++step) {
    opt.zero_grad();
    (w * w).sum().backward();
    buf = 0.9 * buf + 2 * w0;
    w0 -= 0.1 * buf;
    opt.step(0.1);
    EXPECT_NEAR(w[0].item<double>(), w0, 1e-6);
  }
}

TEST(FlatOptimizer, ParametersAndGradientsShareTheFlatBuffers) {
  torch::nn::Linear layer(3, 2);
  FlatOptimizer opt(layer->parameters(), {});
  layer->forward(torch::ones({4, 3})).sum().backward();
  // Autograd accumulated into the flat gradient buffer (views), which clipping then scales in place.
  double norm = opt.clip_grad_norm(1e-3);
  EXPECT_GT(norm, 1e-3);
  double after = 0;
  for (const auto& p : layer->parameters()) after += p.grad().pow(2).sum().item<double>();
  EXPECT_NEAR(std::sqrt(after), 1e-3, 1e-6);
}

TEST(Schedule, CosineWithWarmup) {
  Schedule s(1.0, {.kind = ScheduleKind::cosine, .min_lr = 0.0, .warmup_steps = 4, .total_steps = 14});
  s.at_step(0);
  EXPECT_DOUBLE_EQ(s.lr(), 0.25);
  s.at_step(3);
  EXPECT_DOUBLE_EQ(s.lr(), 1.0);
  s.at_step(4);
  EXPECT_DOUBLE_EQ(s.lr(), 1.0);  // the start of the cosine
  s.at_step(9);
  EXPECT_NEAR(s.lr(), 0.5, 1e-12);  // half way
  s.at_step(14);
  EXPECT_NEAR(s.lr(), 0.0, 1e-12);
}

TEST(Schedule, PlateauReducesAfterPatience) {
  Schedule s(1.0, {.kind = ScheduleKind::plateau, .factor = 0.5, .patience = 1});
  s.after_epoch(0.5);
  s.after_epoch(0.6);
  s.after_epoch(0.6);  // one bad epoch: within patience
  EXPECT_DOUBLE_EQ(s.lr(), 1.0);
  s.after_epoch(0.59);  // a second: reduce
  EXPECT_DOUBLE_EQ(s.lr(), 0.5);
  auto state = s.state();
  Schedule restored(1.0, {.kind = ScheduleKind::plateau, .factor = 0.5, .patience = 1});
  restored.load_state(state);
  EXPECT_DOUBLE_EQ(restored.lr(), 0.5);
}

TEST(FlatOptimizer, RejectsUnknownKinds) {
  EXPECT_THROW(parse_choice(kOptimizerChoices, "lbfgs", "--optimizer"), UsageError);
  EXPECT_EQ(parse_choice(kOptimizerChoices, "adamw", "--optimizer"), OptimizerKind::adamw);
}

}  // namespace seqdl::train
