// Per-position splice-site classes (SpliceAI): every base of every gene span of a gene annotation labelled 0 neither,
// 1 acceptor, 2 donor on the transcribed strand (data/splice_labels.hpp), cut into blocks of the network's output
// length with its context on each side (data/splice_blocks.hpp). Chosen by make_task when the options name an
// annotation.
//
// Splits: by chromosome (--valid-chroms / --test-chroms; the rest trains), else whole gene spans drawn by the seed
// (--valid-fraction / --test-fraction). Test spans are left out. Loss: cross-entropy at every labelled position,
// with class weights (auto by default here: n / (3 x count) per class over the training positions, normalised to
// mean 1 like --class-weights auto); positions past a span's end count nowhere. Validation: acceptor and donor
// AUPRC (exact) and SpliceAI's top-k accuracy over every position of the validation blocks; early stopping
// follows the mean of the two AUPRCs. Reverse-complement and shift augmentation do not apply: the strand is the
// annotation's. Blocks without a site may be subsampled for training (--site-free-blocks).
#pragma once

#include <array>

#include "data/splice_annotation.hpp"
#include "data/splice_blocks.hpp"
#include "encode/one_hot.hpp"
#include "train/task.hpp"

namespace seqdl::train {

// The acceptor and donor metrics of per-position class probabilities. Torch-free inputs: `probabilities` holds
// three values (neither, acceptor, donor) per labelled position, `labels` the class of each.
struct SiteValidation {
  double acceptor_auprc = 0, donor_auprc = 0, acceptor_top_k = 0, donor_top_k = 0;
  double mean_auprc() const { return (acceptor_auprc + donor_auprc) / 2; }
};
SiteValidation site_metrics(const std::vector<float>& probabilities, const std::vector<uint8_t>& labels);

class SpliceTask : public Task {
 public:
  // Loads the annotation and the genome's bases of the spans, splits them and logs what they hold. UsageError for
  // options that do not apply (labelled sequence inputs, augmentation, --pos-weight), a network without per-position
  // outputs, chromosomes the annotation lacks or an empty training split; InputError/FormatError for bad files.
  SpliceTask(const TrainOptions& options, int64_t length);

  int64_t outputs() const override { return 3; }
  nn::ModelInfo model_info() const override;
  size_t train_size() const override { return train_.size(); }
  size_t valid_size() const override { return valid_.size(); }
  int64_t batches_per_epoch(int world) const override;
  std::unique_ptr<BatchSource> batches(uint64_t seed, int epoch, int rank, int world) override;
  torch::Tensor loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const override;
  Validation validate(nn::Model& model) override;
  std::string score_name() const override { return "validation mean of acceptor and donor AUPRC"; }
  bool labels_per_sequence() const override { return false; }
  void describe(nn::MetadataParts& parts) const override;
  nlohmann::json fingerprint() const override;

  const data::SpliceBlocks& train_blocks() const { return train_; }
  const data::SpliceBlocks& valid_blocks() const { return valid_; }
  const torch::Tensor& class_weights() const { return weights_; }  // undefined when unweighted

 private:
  const TrainOptions& o_;
  int64_t length_;
  data::SpliceAnnotation annotation_;
  std::vector<std::string> train_chroms_, valid_chroms_, test_chroms_;
  data::SpliceBlocks train_, valid_;
  size_t test_spans_ = 0;
  torch::Tensor weights_;
  encode::OneHotTable table_;
};

// The network's per-position geometry at `length`: its output positions and the context around them. UsageError
// when `arch` does not predict per position (or its outputs are not centred in its input).
data::BlockGeometry splice_geometry(const std::string& arch, int64_t length);

}  // namespace seqdl::train
