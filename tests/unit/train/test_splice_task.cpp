// The splice-site training task on the hand-written genes of tests/fixtures/splice (4 spans, 12 sites) with a tiny
// per-position network (30 outputs, 4 bases of context): its batches hold every block once, its loss is the
// class-weighted cross-entropy over the labelled positions (recomputed here from the logits), its validation gathers
// every labelled position, and options that do not apply are refused.
#include <gtest/gtest.h>

#include <set>

#include "common/test_support.hpp"
#include "data/splice_blocks.hpp"
#include "encode/one_hot.hpp"
#include "infer/batches.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"
#include "train/splice_task.hpp"
#include "util/error.hpp"

namespace seqdl::train {
namespace {

class SpliceTaskTest : public test::TempDir {
 protected:
  TrainOptions options() {
    TrainOptions o;
    o.arch = write("tiny.json", R"({"name": "tiny_splice", "input_length": 34, "tasks": 3, "layers": [
        {"type": "spliceai_tower", "channels": 4, "units": [[3, 1]], "group": 1, "context": 4},
        {"type": "conv", "filters": "tasks", "kernel": 1}]})");
    o.length = 34;
    o.data.genome = test::fixture("splice/genome.fa");
    o.splice.annotation = test::fixture("splice/genes.gff3");
    o.split.valid_fraction = 0;
    o.batch = 3;
    return o;
  }
};

std::string block_key(const data::SpliceBlocks& blocks, size_t b) {
  std::string input(static_cast<size_t>(blocks.geometry().input()), 'N');
  blocks.input(b, input.data());
  std::vector<int64_t> labels(static_cast<size_t>(blocks.geometry().output));
  blocks.labels(b, labels.data());
  std::vector<uint8_t> indices(input.size());
  encode::base_indices(input, indices.data());
  std::string key;
  for (uint8_t c : indices) key += "ACGTN"[std::min<int>(c, 4)];
  for (int64_t l : labels) key += std::to_string(l + 1);
  return key;
}

}  // namespace

TEST_F(SpliceTaskTest, BatchesHoldEveryBlockOnce) {
  TrainOptions o = options();
  SpliceTask task(o, o.length);
  ASSERT_EQ(task.train_blocks().size(), 8u);
  EXPECT_EQ(task.valid_size(), 0u);
  EXPECT_EQ(task.batches_per_epoch(1), 3);
  std::multiset<std::string> expected, seen;
  for (size_t b = 0; b < 8; ++b) expected.insert(block_key(task.train_blocks(), b));
  auto source = task.batches(0, 1, 0, 1);
  while (auto batch = source->next()) {
    ASSERT_EQ(batch->x.dtype(), torch::kUInt8);
    ASSERT_EQ(batch->x.size(1), 34);
    ASSERT_EQ(batch->targets[0].sizes(), (std::vector<int64_t>{batch->x.size(0), 30}));
    for (int64_t i = 0; i < batch->x.size(0); ++i) {
      std::string key;
      for (int64_t k = 0; k < 34; ++k) key += "ACGTN"[std::min<int>(batch->x[i][k].item<int>(), 4)];
      for (int64_t j = 0; j < 30; ++j) key += std::to_string(batch->targets[0][i][j].item<int64_t>() + 1);
      seen.insert(key);
    }
  }
  EXPECT_EQ(seen, expected);
}

TEST_F(SpliceTaskTest, LossIsTheClassWeightedMeanOverLabelledPositions) {
  TrainOptions o = options();
  SpliceTask task(o, o.length);
  // 205 labelled positions: 193 neither, 6 acceptors, 6 donors; weights n / (3 x count).
  const torch::Tensor& w = task.class_weights();
  ASSERT_TRUE(w.defined());
  EXPECT_NEAR(w[0].item<double>(), 205.0 / (3 * 193), 1e-6);
  EXPECT_NEAR(w[1].item<double>(), 205.0 / 18, 1e-5);
  torch::manual_seed(3);
  nn::Network net(nn::load_arch(o.arch), 34, 3);
  auto batch = task.batches(0, 1, 0, 1)->next();
  ASSERT_TRUE(batch);
  auto logits = net->forward_heads(batch->x);
  const double loss = task.loss(logits, *batch).item<double>();
  auto logp = torch::log_softmax(logits[0], 1);
  double num = 0, den = 0;
  const auto& y = batch->targets[0];
  for (int64_t i = 0; i < y.size(0); ++i) {
    for (int64_t j = 0; j < y.size(1); ++j) {
      const int64_t c = y[i][j].item<int64_t>();
      if (c < 0) continue;
      num -= w[c].item<double>() * logp[i][c][j].item<double>();
      den += w[c].item<double>();
    }
  }
  EXPECT_NEAR(loss, num / den, 1e-5);
  // Unweighted when asked.
  o.class_weights = ClassWeights::none;
  SpliceTask plain(o, o.length);
  EXPECT_FALSE(plain.class_weights().defined());
}

TEST_F(SpliceTaskTest, ValidationGathersEveryLabelledPosition) {
  TrainOptions o = options();
  o.split.valid_fraction = 0.5;  // two of the four spans, drawn by the seed
  SpliceTask task(o, o.length);
  const data::SpliceBlocks& valid = task.valid_blocks();
  ASSERT_EQ(valid.spans().size(), 2u);
  EXPECT_EQ(task.train_blocks().spans().size(), 2u);
  torch::manual_seed(4);
  nn::Network net(nn::load_arch(o.arch), 34, 3);
  auto model = nn::wrap_network(net, task.model_info());
  Validation v = task.validate(*model);
  // The same from each block on its own.
  std::vector<float> probabilities;
  std::vector<uint8_t> labels;
  std::string input(34, 'N');
  std::vector<int64_t> y(30);
  torch::NoGradGuard no_grad;
  for (size_t b = 0; b < valid.size(); ++b) {
    valid.input(b, input.data());
    valid.labels(b, y.data());
    auto p = torch::softmax(model->forward(infer::one_hot_tensor(input, 1, 34, encode::OneHotTable(encode::Unknown::zero))), 1);
    for (int64_t j = 0; j < 30; ++j) {
      if (y[static_cast<size_t>(j)] < 0) continue;
      probabilities.push_back(p[0][1][j].item<float>());
      probabilities.push_back(p[0][2][j].item<float>());
      labels.push_back(static_cast<uint8_t>(y[static_cast<size_t>(j)]));
    }
  }
  SiteValidation s = site_metrics(probabilities, labels);
  ASSERT_EQ(v.metrics.size(), 5u);
  EXPECT_EQ(v.metrics[1].first, "acceptor_auprc");
  EXPECT_NEAR(v.metrics[1].second, s.acceptor_auprc, 1e-6);
  EXPECT_NEAR(v.metrics[2].second, s.donor_auprc, 1e-6);
  EXPECT_NEAR(v.score, s.mean_auprc(), 1e-6);
  EXPECT_GT(v.loss, 0);
}

TEST_F(SpliceTaskTest, OptionsThatDoNotApplyAreRefused) {
  auto refused = [&](auto change, const std::string& fragment) {
    TrainOptions o = options();
    change(o);
    try {
      SpliceTask task(o, o.length);
      ADD_FAILURE() << "accepted: " << fragment;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refused([](TrainOptions& o) { o.rc_augment = true; }, "--rc-augment");
  refused([](TrainOptions& o) { o.data.genome.clear(); }, "--genome");
  refused([](TrainOptions& o) { o.split.valid_chroms = {"chrX"}; }, "--valid-chroms chrX");
  refused([](TrainOptions& o) { o.split.test_chroms = {"chrS"}; }, "no chromosome to train on");
  refused([](TrainOptions& o) { o.data.table = "x.tsv"; }, "--table");
  refused([](TrainOptions& o) { o.pos_weight = "auto"; }, "--pos-weight");
  refused([](TrainOptions& o) { o.arch = "deepbind", o.length = 101; }, "per-position");
}

}  // namespace seqdl::train
