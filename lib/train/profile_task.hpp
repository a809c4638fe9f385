// Coverage models trained on read coverage around peaks: base-resolution profile models (BPNet, ChromBPNet; a
// profile head of per-base logits and a counts head of log(1 + total) per channel, trained by the multinomial
// NLL + lambda x counts MSE of profile_loss.hpp) and binned coverage-track regression (`--bin N`: one head of
// per-bin outputs, Poisson or MSE). Windows: peak summits (data/profile_windows.hpp) plus GC-matched background
// drawn afresh each epoch (data/profile_background.hpp), split by whole chromosomes; jitter and reverse
// complement in training (profile_batches.hpp). Early stopping on the validation loss (score = -loss).
#pragma once

#include <memory>
#include <vector>

#include "data/profile_dataset.hpp"
#include "data/profile_examples.hpp"
#include "nn/profile_info.hpp"
#include "train/task.hpp"

namespace seqdl::train {

class ProfileTask : public Task {
 public:
  // Loads the genome, peaks and coverage; fetches the training peaks. UsageError for options that do not fit
  // (classification data options, an architecture without the heads), InputError/FormatError for bad data.
  ProfileTask(const TrainOptions& options, int64_t length);

  int64_t outputs() const override { return profile_.channels(); }
  nn::ModelInfo model_info() const override;
  size_t train_size() const override { return train_peaks_.size() + background_per_epoch_; }
  size_t valid_size() const override { return valid_.size(); }
  int64_t batches_per_epoch(int world) const override;
  std::unique_ptr<BatchSource> batches(uint64_t seed, int epoch, int rank, int world) override;
  torch::Tensor loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const override;
  Validation validate(nn::Model& model) override;
  std::string score_name() const override { return "validation loss"; }
  bool labels_per_sequence() const override { return false; }
  void describe(nn::MetadataParts& parts) const override;
  nlohmann::json fingerprint() const override;
  nn::ArchSpec architecture(const nn::ArchSpec& /*named*/) const override { return arch_; }
  void prepare(nn::NetworkImpl& network) const override;

  double counts_weight() const { return counts_weight_; }

 private:
  void check_heads(int64_t length);
  void fetch_examples();
  Validation validate_tracks(nn::Model& model);

  const TrainOptions& o_;
  nn::ArchSpec arch_;
  nn::ProfileInfo profile_;
  data::ProfileWindowOptions windows_;
  data::ProfileDataset data_;
  std::unique_ptr<data::ProfileFetcher> fetcher_;
  std::unique_ptr<data::ProfileBackground> background_;
  std::vector<data::ProfileExample> train_peaks_;  // fetched spans (margin = jitter)
  std::vector<data::ProfileExample> valid_;        // cut windows: validation peaks, then a fixed background draw
  size_t valid_peaks_ = 0, background_per_epoch_ = 0, test_peaks_ = 0;
  double counts_weight_ = 1.0, median_total_ = 0;
  std::vector<std::vector<double>> average_profile_;  // per channel, over training peaks: the baseline
};

}  // namespace seqdl::train
