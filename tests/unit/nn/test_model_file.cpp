#include <gtest/gtest.h>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "nn/model.hpp"
#include "nn/network_file.hpp"
#include "util/error.hpp"

namespace seqdl::nn {
namespace {

class ModelFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("seqdl_modelfile_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

}  // namespace

TEST_F(ModelFileTest, RoundTripKeepsWeightsBuffersAndMetadata) {
  torch::manual_seed(5);
  Network net(load_arch("basset"), 600, 2);
  {
    torch::NoGradGuard g;
    for (auto& b : net->named_buffers()) {
      if (b.key().ends_with("running_mean")) b.value().uniform_(-1, 1);
    }
  }
  nlohmann::json meta = {{"task_type", "multilabel"}, {"task_names", {"a", "b"}}, {"note", "x"}};
  save_model(path("m.seqdl"), *net, meta);
  LoadedNetwork loaded = load_network(path("m.seqdl"));
  EXPECT_EQ(loaded.header.metadata, meta);
  EXPECT_EQ(loaded.header.input_length, 600);
  EXPECT_EQ(loaded.header.tasks, 2);
  auto a = network_state(*net), b = network_state(*loaded.network);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_TRUE(torch::equal(a[i].second, b[i].second)) << a[i].first;
  }
  // Saving again gives the same bytes.
  save_model(path("again.seqdl"), *loaded.network, meta);
  std::ifstream x(path("m.seqdl"), std::ios::binary), y(path("again.seqdl"), std::ios::binary);
  EXPECT_TRUE(std::equal(std::istreambuf_iterator<char>(x), {}, std::istreambuf_iterator<char>(y)));
  // The Model view reads task names and type from the metadata and probes the output layout.
  auto model = open_model(path("m.seqdl"));
  EXPECT_EQ(model->info().task_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(model->info().per_position());
}

TEST_F(ModelFileTest, TruncatedCorruptAndForeignFilesAreModelErrors) {
  Network net(load_arch("deepbind"), 101, 1);
  save_model(path("m.seqdl"), *net, nlohmann::json::object());
  std::ifstream in(path("m.seqdl"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  for (size_t cut : {size_t{3}, size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    std::ofstream(path("cut.seqdl"), std::ios::binary) << bytes.substr(0, cut);
    EXPECT_THROW(load_network(path("cut.seqdl")), ModelError) << cut;
  }
  std::string flipped = bytes;
  flipped[bytes.size() - 100] ^= 0x55;
  std::ofstream(path("flip.seqdl"), std::ios::binary) << flipped;
  EXPECT_THROW(load_network(path("flip.seqdl")), ModelError);
  std::ofstream(path("text.seqdl")) << "hello";
  EXPECT_THROW(load_network(path("text.seqdl")), ModelError);
  EXPECT_THROW(open_model(path("missing.seqdl")), InputError);
}

TEST_F(ModelFileTest, WeightsForAnotherShapeAreRefused) {
  Network small(load_arch("deepbind"), 101, 1);
  Network two(load_arch("deepbind"), 101, 2);
  EXPECT_THROW(load_state(*two, network_state(*small), "test"), ModelError);
}

}  // namespace seqdl::nn
