// What a model learns, behind one interface so that the training loop (trainer.cpp: epochs, optimiser, schedule,
// early stopping, checkpoints, resume) is the same for every kind of data: labelled sequences
// (classification_task.hpp), per-base splice-site labels from a gene annotation (splice_task.hpp), read coverage
// profiles (profile_task.hpp).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/model.hpp"
#include "nn/model_metadata.hpp"
#include "train/train.hpp"

namespace seqdl::train {

// One training batch: the network's input and what its outputs are scored against.
struct Batch {
  torch::Tensor x;                     // base indices [b, L] uint8 (Unknown::zero), else one-hot [b, 4, L] float32
  std::vector<torch::Tensor> targets;  // the task's: labels, per-position classes, counts
};

// The batches of one epoch, usually built on a background thread while the model trains on the previous one.
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  virtual std::optional<Batch> next() = 0;  // nullopt at the end of the epoch; rethrows a failure of the builder
  virtual int64_t batches() const = 0;
};

// What validation measured: the loss, the score that early stopping and the plateau schedule follow (higher is
// better), and named metrics for the log, the checkpoint and the model file ("auprc", "auroc", ...).
struct Validation {
  double loss = 0;
  double score = 0;
  std::vector<std::pair<std::string, double>> metrics;
};

// One per training run, used by the training thread (its batch sources may prefetch on threads of their own).
class Task {
 public:
  virtual ~Task() = default;

  // Outputs of the network ("tasks" in specs) and what the model file says about them.
  virtual int64_t outputs() const = 0;
  virtual nn::ModelInfo model_info() const = 0;
  virtual size_t train_size() const = 0;
  virtual size_t valid_size() const = 0;
  // Batches per epoch for one rank of `world` (their order and augmentation depend only on seed and epoch).
  virtual int64_t batches_per_epoch(int world) const = 0;
  virtual std::unique_ptr<BatchSource> batches(uint64_t seed, int epoch, int rank, int world) = 0;
  // The batch's loss from the network's heads (a scalar that backward() differentiates).
  virtual torch::Tensor loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const = 0;
  // The whole validation set (the model in eval mode, under no-grad). A task without validation data returns {}.
  virtual Validation validate(nn::Model& model) = 0;
  // The name of the score early stopping follows, for messages ("validation AUPRC").
  virtual std::string score_name() const = 0;
  // Whether each example has one label (a per-position network is then scored at its central output).
  virtual bool labels_per_sequence() const { return true; }
  // The model file's data and splits parts; the data-dependent part of the resume fingerprint.
  virtual void describe(nn::MetadataParts& parts) const = 0;
  virtual nlohmann::json fingerprint() const = 0;
  // The network to train, from the architecture the options name (coverage tasks adapt it: profile_arch.hpp), and
  // what to do to it before training (load and freeze fixed parts; frozen parameters are not optimised).
  virtual nn::ArchSpec architecture(const nn::ArchSpec& spec) const { return spec; }
  virtual void prepare(nn::NetworkImpl& /*network*/) const {}
};

// The task the options ask for. UsageError for contradictory options; InputError/FormatError for unreadable data.
std::unique_ptr<Task> make_task(const TrainOptions& options, int64_t length);

}  // namespace seqdl::train
