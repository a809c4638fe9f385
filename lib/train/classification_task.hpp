// Classification of whole sequences (binary, multi-label, multi-class): the labelled sets of lib/data (class files,
// label tables, genome intervals with negatives), split into train/valid/test, scored by BCE or cross-entropy
// (objective.hpp), validated by macro AUPRC (early stopping) and AUROC.
#pragma once

#include "data/labelled_sources.hpp"
#include "data/splits.hpp"
#include "encode/one_hot.hpp"
#include "train/objective.hpp"
#include "train/task.hpp"

namespace seqdl::train {

class ClassificationTask : public Task {
 public:
  // Loads and splits the data, logs what it holds and writes --save-splits.
  ClassificationTask(const TrainOptions& options, int64_t length);

  int64_t outputs() const override { return loaded_.set.outputs(); }
  nn::ModelInfo model_info() const override;
  size_t train_size() const override { return splits_.train.size(); }
  size_t valid_size() const override { return splits_.valid.size(); }
  int64_t batches_per_epoch(int world) const override;
  std::unique_ptr<BatchSource> batches(uint64_t seed, int epoch, int rank, int world) override;
  torch::Tensor loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const override;
  Validation validate(nn::Model& model) override;
  std::string score_name() const override { return "validation AUPRC"; }
  void describe(nn::MetadataParts& parts) const override;
  nlohmann::json fingerprint() const override;

 private:
  const TrainOptions& o_;
  int64_t length_;
  data::LoadedSet loaded_;
  data::Splits splits_;
  Objective objective_;
  encode::OneHotTable table_;
};

}  // namespace seqdl::train
