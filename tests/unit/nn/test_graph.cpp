#include <gtest/gtest.h>

#include <torch/torch.h>

#include "common/zoo_models.hpp"
#include "nn/graph.hpp"
#include "nn/network.hpp"
#include "util/error.hpp"

namespace seqdl::nn {
namespace {

ArchSpec spec_of(const std::string& layers, const std::string& extra = "", int64_t length = 20) {
  return ArchSpec::from_json(
      nlohmann::json::parse(fmt::format(R"({{"name": "t", "input_length": {}, "layers": {}{}}})", length, layers, extra)),
      "t.json");
}

std::string error_of(const std::string& layers, const std::string& extra = "") {
  try {
    Graph g(spec_of(layers, extra), 20, 1);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// Hand-computed: conv 5 (valid) -> max pool 2 -> conv 3, dilation 2, "same" padding (2 each side), on 20 bases.
TEST(Graph, FieldsAndValidRangesOfAChain) {
  Graph g(spec_of(R"([{"type": "conv", "filters": 3, "kernel": 5}, {"type": "maxpool", "size": 2},
                      {"type": "conv", "filters": 2, "kernel": 3, "dilation": 2, "padding": "same"}])"), 20, 1);
  const Node& c0 = g.node(0);
  EXPECT_EQ(c0.out.length, 16);
  EXPECT_EQ(c0.field.offset, 0);
  EXPECT_EQ(c0.field.stride, 1);
  EXPECT_EQ(c0.field.span, 5);
  EXPECT_TRUE(c0.fully_valid());
  const Node& p = g.node(1);
  EXPECT_EQ(p.out.length, 8);
  EXPECT_EQ(p.field.stride, 2);
  EXPECT_EQ(p.field.span, 6);
  const Node& c2 = g.node(2);
  EXPECT_EQ(c2.reads.span, 5);
  EXPECT_EQ(c2.reads.pad, 2);
  EXPECT_EQ(c2.out.length, 8);
  EXPECT_EQ(c2.field.offset, -4);  // output 0 starts two pooled positions (4 bases) before the input
  EXPECT_EQ(c2.field.span, 14);
  EXPECT_EQ(c2.valid_begin, 2);  // outputs 0-1 and 6-7 read the padding
  EXPECT_EQ(c2.valid_end, 6);
  EXPECT_FALSE(c2.fully_valid());
  EXPECT_EQ(g.trunk().size(), 3u);
  EXPECT_EQ(g.trunk_frontier(), std::vector<int>{2});
}

// x + relu(conv_same(x)), then a crop of 3 and 1: the crop leaves only positions the padding never reached.
TEST(Graph, ResidualAdditionAndCrop) {
  Graph g(spec_of(R"([{"type": "conv", "filters": 4, "kernel": 1, "name": "x"},
                      {"type": "conv", "filters": 4, "kernel": 3, "padding": "same"},
                      {"type": "relu", "name": "r"},
                      {"type": "add", "inputs": ["x", "r"]},
                      {"type": "crop", "left": 3, "right": 1, "name": "c"}])"), 20, 1);
  const Node& add = g.node(3);
  EXPECT_EQ(add.out.length, 20);
  EXPECT_EQ(add.field.offset, -1);  // the union of x's [j, j+1) and the conv's [j-1, j+2)
  EXPECT_EQ(add.field.span, 3);
  EXPECT_EQ(add.valid_begin, 1);
  EXPECT_EQ(add.valid_end, 19);
  const Node& crop = g.node(4);
  EXPECT_EQ(crop.out.length, 16);
  EXPECT_EQ(crop.field.offset, 2);
  EXPECT_TRUE(crop.fully_valid());
  EXPECT_EQ(g.consumers()[0], (std::vector<int>{1, 3}));
}

TEST(Graph, MacrosExpandIntoNamedNodes) {
  Graph g(spec_of(R"([{"type": "conv", "filters": 4, "kernel": 3},
                      {"type": "residual_tower", "filters": 4, "layers": 2, "name": "tower"}])", "", 40), 40, 1);
  std::vector<std::string> names;
  for (const auto& n : g.nodes()) names.push_back(n.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0_conv", "tower/res1/conv", "tower/res1/relu", "tower/res1/add",
                                             "tower/res2/conv", "tower/res2/relu", "tower"}));
  EXPECT_EQ(g.node(4).params.dilation, 4);
  EXPECT_EQ(g.outputs()[0].node, 6);
}

TEST(Graph, NamedOutputsAreHeads) {
  Graph g(spec_of(R"([{"type": "conv", "filters": 2, "kernel": 3, "name": "profile"},
                      {"type": "global_avgpool", "inputs": ["profile"]},
                      {"type": "linear", "units": 1, "name": "counts"}])",
                  R"(, "outputs": [{"name": "profile", "layer": "profile"}, {"name": "counts", "layer": "counts"}])"),
          20, 1);
  ASSERT_EQ(g.outputs().size(), 2u);
  EXPECT_EQ(g.outputs()[0].name, "profile");
  EXPECT_EQ(g.outputs()[1].node, 2);
}

TEST(Graph, BadWiringNamesTheLayer) {
  EXPECT_NE(error_of(R"([{"type": "relu", "name": "a"}, {"type": "relu", "name": "a"}])").find("used twice"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "relu", "inputs": ["nowhere"]}])").find("'nowhere' is not the name"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "conv", "filters": 2, "kernel": 3, "name": "a"}, {"type": "add", "inputs": ["a", "input"]}])")
                .find("differ in shape"),
            std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "linear", "units": 2}])").find("needs flat input"), std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "crop", "left": 12, "right": 9}])").find("too short"), std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "relu", "name": "a.b"}])").find("without '.'"), std::string::npos);
  EXPECT_NE(error_of(R"([{"type": "relu"}])", R"(, "outputs": [{"layer": "none"}])").find("names no layer"),
            std::string::npos);
}

// The network's new layers against LibTorch's own functions on a hand-made input.
TEST(Network, PaddingCropPadAddAndCatMatchLibTorch) {
  torch::manual_seed(3);
  ArchSpec spec = spec_of(R"([{"type": "conv", "filters": 3, "kernel": 4, "dilation": 2, "padding": [4, 2], "name": "c"},
                              {"type": "crop", "left": 1, "right": 2, "name": "k"},
                              {"type": "pad", "left": 2, "right": 1, "name": "p"},
                              {"type": "conv", "filters": 3, "kernel": 1, "inputs": ["input"], "name": "d"},
                              {"type": "add", "inputs": ["p", "d"], "name": "s"},
                              {"type": "cat", "inputs": ["s", "d"]},
                              {"type": "flatten", "order": "positions"}])");
  Network net(spec, 20, 1);
  net->eval();
  torch::NoGradGuard no_grad;
  auto x = torch::rand({2, 4, 20});
  auto params = net->named_parameters();
  auto c = torch::conv1d(torch::constant_pad_nd(x, {4, 2}), params["c.weight"], params["c.bias"], torch::IntArrayRef{1},
                         torch::IntArrayRef{0}, torch::IntArrayRef{2});
  auto k = c.narrow(2, 1, c.size(2) - 3);
  auto p = torch::constant_pad_nd(k, {2, 1});
  auto d = torch::conv1d(x, params["d.weight"], params["d.bias"]);
  auto expected = torch::cat(std::vector<torch::Tensor>{p + d, d}, 1).transpose(1, 2).flatten(1);
  auto got = net->forward(x);
  ASSERT_EQ(got.sizes(), expected.sizes());
  EXPECT_TRUE(torch::allclose(got, expected, 1e-5, 1e-6));
  // Base indices take the gather path of the first convolution; the result is the same.
  auto indices = torch::randint(0, 5, {2, 20}, torch::kUInt8);
  auto from_indices = net->forward(indices);
  auto one_hot = torch::zeros({2, 4, 20});
  for (int64_t b = 0; b < 2; ++b) {
    for (int64_t i = 0; i < 20; ++i) {
      int64_t base = indices[b][i].item<int64_t>();
      if (base < 4) one_hot[b][base][i] = 1.0f;
    }
  }
  EXPECT_TRUE(torch::allclose(from_indices, net->forward(one_hot), 1e-5, 1e-6));
}

}  // namespace seqdl::nn
