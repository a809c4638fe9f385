// Zoo networks with random weights and random batch-norm statistics (so that batch norm is not the identity),
// wrapped as Models with `tasks` multi-label outputs named t0, t1, ...: the subjects of the tests that compare
// fast paths with the plain computation.
#pragma once

#include <fmt/format.h>
#include <torch/torch.h>

#include <memory>
#include <string>

#include "nn/model.hpp"
#include "nn/network.hpp"

namespace seqdl::test {

// Graph specs that exercise what the zoo's chains do not: residual additions around "same"-padded dilated
// convolutions (BPNet's trunk) with a cropped per-position head and a pooled per-window head, branches joined by
// concatenation, asymmetric padding, explicit pads and crops, strided convolutions and position-major flattening.
inline nn::ArchSpec graph_spec(const std::string& name) {
  const char* bpnet_like = R"({"name": "bpnet_like", "input_length": 300, "tasks": 2, "layers": [
    {"type": "conv", "filters": 8, "kernel": 7, "padding": "same", "name": "stem"},
    {"type": "relu", "name": "stem_relu"},
    {"type": "residual_tower", "filters": 8, "layers": 3, "name": "trunk"},
    {"type": "conv", "filters": "tasks", "kernel": 9, "padding": "same", "inputs": ["trunk"], "name": "profile_conv"},
    {"type": "crop", "length": 200, "name": "profile"},
    {"type": "crop", "length": 208, "inputs": ["trunk"], "name": "counts_crop"},
    {"type": "global_avgpool"},
    {"type": "linear", "units": "tasks", "name": "counts"}],
    "outputs": [{"name": "profile", "layer": "profile"}, {"name": "counts", "layer": "counts"}]})";
  const char* branches = R"({"name": "branches", "input_length": 120, "tasks": 2, "layers": [
    {"type": "conv", "filters": 6, "kernel": 5, "name": "a"},
    {"type": "batchnorm"},
    {"type": "elu", "name": "a_act"},
    {"type": "conv", "filters": 4, "kernel": 3, "dilation": 2, "padding": [3, 1], "inputs": ["input"], "name": "b"},
    {"type": "crop", "left": 2, "right": 2, "name": "b_crop"},
    {"type": "cat", "inputs": ["a_act", "b_crop"], "name": "joined"},
    {"type": "pad", "left": 1, "right": 2},
    {"type": "conv", "filters": 6, "kernel": 4, "stride": 2},
    {"type": "tanh"},
    {"type": "maxpool", "size": 3},
    {"type": "flatten", "order": "positions"},
    {"type": "linear", "units": "tasks"}]})";
  const char* text = name == "bpnet_like" ? bpnet_like : branches;
  return nn::ArchSpec::from_json(nlohmann::json::parse(text), name + ".json");
}

// Random batch-norm statistics, so that batch norm is not the identity.
inline void randomise_batch_norm(nn::NetworkImpl& net) {
  torch::NoGradGuard no_grad;
  for (auto& b : net.named_buffers()) {
    if (b.key().ends_with("running_mean")) b.value().uniform_(-0.5, 0.5);
    if (b.key().ends_with("running_var")) b.value().uniform_(0.5, 2.0);
  }
}

inline std::unique_ptr<nn::Model> random_spec_model(const nn::ArchSpec& spec, int64_t tasks, uint64_t seed = 7,
                                                    encode::Unknown unknown = encode::Unknown::zero) {
  torch::manual_seed(seed);
  nn::Network net(spec, spec.input_length, tasks);
  randomise_batch_norm(*net);
  nn::ModelInfo info;
  info.input_length = spec.input_length;
  info.task_type = data::TaskType::multilabel;
  info.unknown = unknown;
  for (int64_t t = 0; t < tasks; ++t) info.task_names.push_back(fmt::format("t{}", t));
  return nn::wrap_network(net, info);
}

inline std::unique_ptr<nn::Model> random_zoo_model(const std::string& arch, int64_t tasks, uint64_t seed = 7) {
  torch::manual_seed(seed);
  nn::ArchSpec spec = nn::load_arch(arch);
  nn::Network net(spec, spec.input_length, tasks);
  torch::NoGradGuard no_grad;
  for (auto& b : net->named_buffers()) {
    if (b.key().ends_with("running_mean")) b.value().uniform_(-0.5, 0.5);
    if (b.key().ends_with("running_var")) b.value().uniform_(0.5, 2.0);
  }
  nn::ModelInfo info;
  info.input_length = spec.input_length;
  info.task_type = data::TaskType::multilabel;
  for (int64_t t = 0; t < tasks; ++t) info.task_names.push_back(fmt::format("t{}", t));
  return nn::wrap_network(net, info);
}

}  // namespace seqdl::test
