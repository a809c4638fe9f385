// The TorchScript importer on small modules compiled here (torch::jit::Module::define): which seqdl layers each op
// becomes, and that the imported network computes what LibTorch's interpreter computes for the module (checked on
// inputs of its own, besides the importer's built-in check).
#include <gtest/gtest.h>

#include <torch/script.h>
#include <torch/torch.h>

#include "nn/import_torchscript.hpp"
#include "nn/one_hot_conv.hpp"

namespace seqdl::nn {
namespace {

using Params = std::vector<std::pair<std::string, torch::Tensor>>;

torch::Tensor random_weights(std::vector<int64_t> shape, int64_t seed) {
  torch::manual_seed(seed);
  return torch::randn(shape) * 0.3;
}

torch::jit::Module compile(const std::string& forward, const Params& params = {}) {
  torch::jit::Module m("Test");
  for (const auto& [name, t] : params) m.register_parameter(name, t, false);
  m.define(forward);
  m.eval();
  return m;
}

std::vector<std::string> layer_types(const ImportReport& r) {
  std::vector<std::string> out;
  for (const auto& l : r.spec.at("layers")) out.push_back(l.at("type"));
  return out;
}

std::vector<torch::Tensor> heads_of(const c10::IValue& v) {
  if (v.isTensor()) return {v.toTensor()};
  std::vector<torch::Tensor> out;
  for (const auto& e : v.toTupleRef().elements()) out.push_back(e.toTensor());
  return out;
}

// Imports `m` for inputs of `length` and requires it to equal the module's own forward on fresh one-hot input.
ImportResult import_and_compare(torch::jit::Module& m, int64_t length) {
  ImportResult r = import_torchscript(m, length, "test");
  EXPECT_TRUE(r.report.imported) << r.report.stopped_by;
  if (!r.network) return r;
  torch::NoGradGuard no_grad;
  torch::manual_seed(99);
  auto x = one_hot_from_indices(torch::randint(4, {3, length}).to(torch::kUInt8));
  auto theirs = heads_of(m.forward({x}));
  auto ours = r.network->forward_heads(x);
  EXPECT_EQ(ours.size(), theirs.size());
  for (size_t h = 0; h < std::min(ours.size(), theirs.size()); ++h) {
    EXPECT_EQ(ours[h].sizes(), theirs[h].sizes());
    if (ours[h].sizes() == theirs[h].sizes()) {
      EXPECT_TRUE(torch::allclose(ours[h], theirs[h], 1e-5, 1e-6)) << "head " << h;
    }
  }
  return r;
}

std::string stop_of(torch::jit::Module& m, int64_t length) {
  ImportResult r = import_torchscript(m, length, "test");
  EXPECT_FALSE(r.report.imported);
  EXPECT_FALSE(r.network);
  return r.report.stopped_by;
}

}  // namespace

TEST(Import, ConvolutionPaddingStrideDilationAndBias) {
  auto m = compile(R"(
def forward(self, x):
    h = torch.conv1d(x, self.w1, self.b1, [2], [3], [1], 1)
    h = torch.conv1d(h, self.w2, None, [1], [4], [2], 1)
    h = torch.conv1d(h, self.w3, self.b3, [1], "same", [3], 1)
    return torch.conv1d(h, self.w4, self.b4, [1], "valid", [1], 1)
)", {{"w1", random_weights({6, 4, 5}, 1)}, {"b1", random_weights({6}, 2)}, {"w2", random_weights({5, 6, 3}, 3)},
     {"w3", random_weights({4, 5, 4}, 4)}, {"b3", random_weights({4}, 5)}, {"w4", random_weights({2, 4, 1}, 6)},
     {"b4", random_weights({2}, 7)}});
  ImportResult r = import_and_compare(m, 40);
  const auto& l = r.report.spec["layers"];
  ASSERT_EQ(l.size(), 4u);
  EXPECT_EQ(l[0]["stride"], 2);
  EXPECT_EQ(l[0]["padding"], nlohmann::json({3, 3}));
  EXPECT_EQ(l[0]["name"], "w1");  // from the parameter's name
  EXPECT_EQ(l[1]["bias"], false);
  EXPECT_EQ(l[1]["dilation"], 2);
  EXPECT_EQ(l[2]["padding"], nlohmann::json({4, 5}));  // "same" with an even kernel: the odd base goes right
  EXPECT_FALSE(l[3].contains("padding"));
}

TEST(Import, BatchNormWithAnotherEpsAndNoAffineAndActivations) {
  torch::Tensor mean = random_weights({3}, 1), var = random_weights({3}, 2).abs() + 0.5;
  auto m = compile(R"(
def forward(self, x):
    h = torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)
    h = torch.batch_norm(h, None, None, self.mean, self.var, False, 0.1, 0.001, False)
    h = torch.elu(torch.sigmoid(torch.tanh(torch.relu(h))))
    h = torch.gelu(torch.exp(h))
    return torch.softplus(h)
)", {{"w", random_weights({3, 4, 3}, 3)}, {"b", random_weights({3}, 4)}, {"mean", mean}, {"var", var}});
  ImportResult r = import_and_compare(m, 12);
  EXPECT_EQ(layer_types(r.report), (std::vector<std::string>{"conv", "batchnorm", "relu", "tanh", "sigmoid", "elu",
                                                             "exp", "gelu", "softplus"}));
}

TEST(Import, PoolsReductionsAndFlattens) {
  Params p = {{"w", random_weights({3, 4, 3}, 1)}, {"b", random_weights({3}, 2)}, {"fw", random_weights({2, 3}, 3)},
              {"fb", random_weights({2}, 4)}};
  auto pooled = compile(R"(
def forward(self, x):
    h = torch.relu(torch.conv1d(x, self.w, self.b, [1], [0], [1], 1))
    a = torch.max_pool1d(h, [2], [2], [0], [1], False)
    a = torch.avg_pool1d(a, [3], [1], [0], False, True)
    a = torch.adaptive_max_pool1d(a, [1])[0]
    return torch.linear(a.view(a.size(0), -1), self.fw, self.fb)
)", p);
  EXPECT_EQ(layer_types(import_and_compare(pooled, 30).report),
            (std::vector<std::string>{"conv", "relu", "maxpool", "avgpool", "global_maxpool", "linear"}));
  auto means = compile(R"(
def forward(self, x):
    h = torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)
    a = h.mean(dim=2, keepdim=True).squeeze(-1) + torch.amax(h, dim=[-1]) + torch.max(h, 2)[0]
    return torch.linear(a, self.fw, self.fb)
)", p);
  EXPECT_EQ(layer_types(import_and_compare(means, 30).report),
            (std::vector<std::string>{"conv", "global_avgpool", "global_maxpool", "add", "global_maxpool", "add",
                                      "linear"}));
  auto flat = compile(R"(
def forward(self, x):
    h = torch.adaptive_avg_pool1d(torch.conv1d(x, self.w, self.b, [1], [0], [1], 1), [4])
    return torch.flatten(h, 1)
)", p);
  EXPECT_EQ(layer_types(import_and_compare(flat, 14).report), (std::vector<std::string>{"conv", "avgpool", "flatten"}));
}

// Transposes make [batch, length, channels] values: a linear layer on them is a 1x1 convolution, a flatten is
// position-major, and a mean over dimension 1 is a global pool.
TEST(Import, ChannelsLastLinearLayersAndFlatten) {
  auto m = compile(R"(
def forward(self, x):
    h = torch.conv1d(x, self.w, self.b, [1], [0], [1], 1).transpose(1, 2)
    h = torch.relu(torch.matmul(h, self.m) + self.mb)
    t = torch.linear(h, self.fw, self.fb).permute(0, 2, 1)
    return torch.flatten(h, 1), t, h.mean(dim=1)
)", {{"w", random_weights({3, 4, 3}, 1)}, {"b", random_weights({3}, 2)}, {"m", random_weights({3, 5}, 3)},
     {"mb", random_weights({5}, 4)}, {"fw", random_weights({2, 5}, 5)}, {"fb", random_weights({2}, 6)}});
  ImportResult r = import_and_compare(m, 10);
  EXPECT_EQ(layer_types(r.report),
            (std::vector<std::string>{"conv", "conv", "relu", "conv", "flatten", "global_avgpool"}));
  EXPECT_EQ(r.report.spec["layers"][4]["order"], "positions");
  EXPECT_EQ(r.report.spec["outputs"].size(), 3u);
  EXPECT_EQ(r.report.spec["layers"][1].count("bias"), 0u);  // the added constant became the bias
}

TEST(Import, ResidualsConcatenationCropsPadsAndLoops) {
  auto m = compile(R"(
def forward(self, x):
    h = torch.conv1d(x, self.w, self.b, [1], [1], [1], 1)
    for i in range(2):
        h = h + torch.relu(torch.conv1d(h, self.r, None, [1], [1], [1], 1))
    c = torch.cat([h, torch.conv1d(x, self.w, self.b, [1], [1], [1], 1)], 1)
    c = torch.constant_pad_nd(c[:, :, 2:c.size(2) - 3], [1, 2], 0.0)
    return torch.addmm(self.lb, torch.flatten(torch.dropout(c, 0.5, False), 1), self.lw)
)", {{"w", random_weights({3, 4, 3}, 1)}, {"b", random_weights({3}, 2)}, {"r", random_weights({3, 3, 3}, 3)},
     {"lw", random_weights({6 * 18, 2}, 4)}, {"lb", random_weights({2}, 5)}});
  ImportResult r = import_and_compare(m, 20);
  EXPECT_EQ(layer_types(r.report),
            (std::vector<std::string>{"conv", "conv", "relu", "add", "conv", "relu", "add", "cat", "crop", "pad",
                                      "flatten", "linear"}));  // freezing merged the two identical stems
  const auto& crop = r.report.spec["layers"][8];
  EXPECT_EQ(crop["left"], 2);
  EXPECT_EQ(crop["right"], 3);
}

TEST(Import, TupleOutputsBecomeHeads) {
  auto m = compile(R"(
def forward(self, x):
    h = torch.relu(torch.conv1d(x, self.w, self.b, [1], [2], [1], 1))
    profile = torch.conv1d(h, self.p, None, [1], [0], [1], 1)[:, :, 3:-3]
    counts = torch.linear(h.mean(dim=2), self.cw, self.cb)
    return profile, counts
)", {{"w", random_weights({3, 4, 5}, 1)}, {"b", random_weights({3}, 2)}, {"p", random_weights({1, 3, 1}, 3)},
     {"cw", random_weights({1, 3}, 4)}, {"cb", random_weights({1}, 5)}});
  ImportResult r = import_and_compare(m, 30);
  EXPECT_EQ(r.report.spec["outputs"],
            nlohmann::json::parse(R"([{"name": "logits", "layer": "crop_1"}, {"name": "output1", "layer": "cw"}])"));
  auto heads = r.network->forward_heads(torch::zeros({2, 4, 30}));
  EXPECT_EQ(heads[0].sizes(), (std::vector<int64_t>{2, 1, 24}));
  EXPECT_EQ(heads[1].sizes(), (std::vector<int64_t>{2, 1}));
}

TEST(Import, BidirectionalLstmAfterATranspose) {
  torch::manual_seed(3);
  auto lstm = torch::nn::LSTM(torch::nn::LSTMOptions(3, 4).batch_first(true).bidirectional(true));
  Params p = {{"w", random_weights({3, 4, 5}, 1)}, {"b", random_weights({3}, 2)}};
  std::string flat_weights = "[";
  for (const auto& item : lstm->named_parameters()) {
    std::string n = item.key();
    std::replace(n.begin(), n.end(), '.', '_');
    p.emplace_back(n, item.value().detach().clone());
    flat_weights += "self." + n + ", ";
  }
  flat_weights.resize(flat_weights.size() - 2);
  auto m = compile(R"(
def forward(self, x):
    h = torch.relu(torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)).transpose(1, 2)
    z = torch.zeros([2, x.size(0), 4])
    out, hy, cy = torch.lstm(h, [z, z], )" + flat_weights + R"(], True, 1, 0.0, False, True, True)
    return torch.flatten(out, 1)
)", p);
  ImportResult r = import_and_compare(m, 16);
  EXPECT_EQ(layer_types(r.report), (std::vector<std::string>{"conv", "relu", "bilstm", "flatten"}));
}

// Ops without a seqdl layer, data-dependent control flow and outputs seqdl cannot hold stop the import, naming why.
TEST(Import, StopsNamingTheOpOrTheReason) {
  Params p = {{"w", random_weights({3, 4, 5}, 1)}, {"b", random_weights({3}, 2)}};
  auto sine = compile("def forward(self, x):\n    return torch.sin(torch.conv1d(x, self.w, self.b, [1], [0], [1], 1))\n", p);
  EXPECT_NE(stop_of(sine, 20).find("aten::sin"), std::string::npos);
  auto branch = compile(R"(
def forward(self, x):
    h = torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)
    if bool(h.sum() > 0):
        h = torch.relu(h)
    return h.mean(dim=2)
)", p);
  EXPECT_NE(stop_of(branch, 20).find("aten::sum"), std::string::npos);
  auto scaled = compile("def forward(self, x):\n    return torch.relu(x) * 2.0\n");
  EXPECT_NE(stop_of(scaled, 20).find("aten::mul"), std::string::npos);
  auto last = compile("def forward(self, x):\n    return torch.conv1d(x, self.w, self.b, [1], [0], [1], 1).transpose(1, 2)\n", p);
  EXPECT_NE(stop_of(last, 20).find("[batch, length, channels]"), std::string::npos);
  auto channels = compile("def forward(self, x):\n    return torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)[:, 1:, :]\n", p);
  EXPECT_NE(stop_of(channels, 20).find("only the length can be cropped"), std::string::npos);
  auto raises = compile(R"(
def forward(self, x):
    assert x.size(2) == 100, "expected 100 bases"
    return torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)
)", p);
  EXPECT_NE(stop_of(raises, 20).find("expected 100 bases"), std::string::npos);
}

TEST(Import, ACheckThatFailsIsReported) {
  auto m = compile("def forward(self, x):\n    return torch.conv1d(x, self.w, self.b, [1], [0], [1], 1).mean(dim=2)\n",
                   {{"w", random_weights({2, 4, 5}, 1)}, {"b", random_weights({2}, 2)}});
  ImportResult r = import_torchscript(m, 20, "test");
  ASSERT_TRUE(r.network);
  {
    torch::NoGradGuard no_grad;
    r.network->named_parameters()["w.weight"].add_(1e-3);
  }
  ImportReport report;
  check_import(m, *r.network, report);
  EXPECT_TRUE(report.check_failed);
  EXPECT_GT(report.max_difference, 1e-5);
  EXPECT_NE(report.stopped_by.find("differs from the TorchScript forward"), std::string::npos);
}

TEST(Import, LeavesTheGlobalGeneratorAlone) {
  auto m = compile("def forward(self, x):\n    return torch.conv1d(x, self.w, self.b, [1], [0], [1], 1).mean(dim=2)\n",
                   {{"w", random_weights({2, 4, 5}, 1)}, {"b", random_weights({2}, 2)}});
  torch::manual_seed(5);
  auto before = torch::rand({4});
  torch::manual_seed(5);
  import_torchscript(m, 20, "test");
  EXPECT_TRUE(torch::equal(before, torch::rand({4})));
}

}  // namespace seqdl::nn
