#include "train/checkpoint.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

#include "util/error.hpp"

namespace seqdl::train {
namespace {

constexpr char kMagic[9] = "SEQDLCKP";

nlohmann::json log_json(const std::vector<EpochLog>& log) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& e : log) {
    j.push_back({e.epoch, e.train_loss, e.valid_loss, e.valid_score, e.metrics, e.samples_per_second, e.lr, e.seconds});
  }
  return j;
}

std::vector<EpochLog> log_from(const nlohmann::json& j) {
  std::vector<EpochLog> log;
  for (const auto& row : j) {
    log.push_back({row[0].get<int>(), row[1], row[2], row[3],
                   row[4].get<std::vector<std::pair<std::string, double>>>(), row[5], row[6], row[7]});
  }
  return log;
}

void prefixed(nn::NamedTensors& out, const std::string& prefix, const nn::NamedTensors& tensors) {
  for (const auto& [name, t] : tensors) out.emplace_back(prefix + name, t);
}

}  // namespace

torch::Tensor torch_rng_state() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void set_torch_rng_state(const torch::Tensor& state) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

void save_checkpoint(const std::string& path, const Checkpoint& c) {
  nlohmann::json header = {{"format", "seqdl-checkpoint"}, {"fingerprint", c.fingerprint}, {"epoch", c.epoch},
                           {"steps", c.steps},             {"best_epoch", c.best_epoch},   {"best_score", c.best_score},
                           {"best_metrics", c.best_metrics},   {"bad_epochs", c.bad_epochs},   {"schedule", c.schedule},
                           {"log", log_json(c.log)}};
  // When the last epoch is the best one, its weights are stored once.
  bool best_is_model = c.best_epoch == c.epoch;
  header["best_is_model"] = best_is_model;
  nn::NamedTensors tensors;
  prefixed(tensors, "model/", c.model);
  if (!best_is_model) prefixed(tensors, "best/", c.best_model);
  prefixed(tensors, "", c.optimizer);
  tensors.emplace_back("rng", c.rng_state);
  nn::write_archive(path, kMagic, header, tensors);
}

Checkpoint load_checkpoint(const std::string& path) {
  nn::Archive a = nn::read_archive(path, kMagic, "seqdl training checkpoint");
  Checkpoint c;
  try {
    c.fingerprint = a.header.at("fingerprint");
    c.epoch = a.header.at("epoch");
    c.steps = a.header.at("steps");
    c.best_epoch = a.header.at("best_epoch");
    c.best_score = a.header.at("best_score").get<double>();
    c.best_metrics = a.header.at("best_metrics").get<std::vector<std::pair<std::string, double>>>();
    c.bad_epochs = a.header.at("bad_epochs");
    c.schedule = a.header.at("schedule").get<std::vector<double>>();
    c.log = log_from(a.header.at("log"));
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{} is a corrupt checkpoint ({})", path, e.what());
  }
  for (auto& [name, t] : a.tensors) {
    if (name.starts_with("model/")) c.model.emplace_back(name.substr(6), t);
    else if (name.starts_with("best/")) c.best_model.emplace_back(name.substr(5), t);
    else if (name == "rng") c.rng_state = t;
    else c.optimizer.emplace_back(name, t);
  }
  if (a.header.value("best_is_model", false)) {
    for (const auto& [name, t] : c.model) c.best_model.emplace_back(name, t.clone());
  }
  return c;
}

}  // namespace seqdl::train
