#include "train/classification_task.hpp"

#include "train/batches.hpp"
#include "train/train_metadata.hpp"

namespace seqdl::train {
namespace {

data::LoadedSet load(const TrainOptions& o, int64_t length) {
  data::LabelledSpec spec = o.data;
  spec.length = length;
  spec.seed = o.seed;
  return data::load_labelled(spec);
}

data::Splits split(const TrainOptions& o, const data::LabelledSet& set) {
  data::SplitSpec spec = o.split;
  spec.seed = o.seed;
  return data::make_splits(set, spec);
}

}  // namespace

ClassificationTask::ClassificationTask(const TrainOptions& o, int64_t length)
    : o_(o), length_(length), loaded_(load(o, length)), splits_(split(o, loaded_.set)),
      objective_(splits_.train, o.pos_weight, o.class_weights.value_or(ClassWeights::none)),  // checks the options fit the task type
      table_(o.unknown) {
  log_dataset(loaded_, splits_);
  if (!o.save_splits.empty()) save_splits(splits_, o.save_splits);
}

nn::ModelInfo ClassificationTask::model_info() const { return train::model_info(loaded_.set, length_, o_.unknown); }

int64_t ClassificationTask::batches_per_epoch(int world) const {
  return BatchStream::batches_for(splits_.train.size(), o_.batch) / world;
}

std::unique_ptr<BatchSource> ClassificationTask::batches(uint64_t seed, int epoch, int rank, int world) {
  return std::make_unique<BatchStream>(splits_.train, o_.batch, seed, epoch, AugmentOptions{o_.rc_augment, o_.max_shift},
                                       table_, rank, world);
}

torch::Tensor ClassificationTask::loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const {
  return objective_.loss(heads[0], batch.targets[0]);
}

Validation ClassificationTask::validate(nn::Model& model) {
  if (splits_.valid.size() == 0) return {};
  ValidationMetrics v = train::validate(model, splits_.valid, objective_, 256, table_);
  return {v.loss, v.auprc, {{"auprc", v.auprc}, {"auroc", v.auroc}}};
}

void ClassificationTask::describe(nn::MetadataParts& parts) const { describe_data(loaded_, splits_, parts); }

nlohmann::json ClassificationTask::fingerprint() const {
  const auto& d = o_.data;
  return {{"classes", d.classes},     {"table", d.table},         {"sequence_column", d.sequence_column},
          {"label_columns", d.label_columns}, {"class_column", d.class_column}, {"genome", d.genome},
          {"intervals", d.intervals}, {"positives", d.positives}, {"negatives", d.negatives ? choice_name(data::kNegativesChoices, *d.negatives) : ""},
          {"negative_ratio", d.negative_ratio}, {"valid_fraction", o_.split.valid_fraction},
          {"test_fraction", o_.split.test_fraction}, {"valid_chroms", o_.split.valid_chroms},
          {"test_chroms", o_.split.test_chroms}, {"pos_weight", o_.pos_weight},
          {"class_weights", choice_name(kClassWeightChoices, o_.class_weights.value_or(ClassWeights::none))}, {"rc_augment", o_.rc_augment},
          {"max_shift", o_.max_shift}};
}

}  // namespace seqdl::train
