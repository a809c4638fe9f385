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
