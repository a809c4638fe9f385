// What training records about itself: the dataset summary in the log, the split files, the model file's
// metadata, and the fingerprint that ties a checkpoint to its options and data.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "data/labelled_sources.hpp"
#include "data/splits.hpp"
#include "nn/model.hpp"
#include "nn/model_metadata.hpp"
#include "train/checkpoint.hpp"
#include "train/task.hpp"
#include "train/train.hpp"

namespace seqdl::train {

void log_dataset(const data::LoadedSet& loaded, const data::Splits& splits);
void save_splits(const data::Splits& splits, const std::string& folder);

nn::ModelInfo model_info(const data::LabelledSet& set, int64_t length, encode::Unknown unknown);

// The options a checkpoint must share to be resumed: the training options and the task's own (`task`).
nlohmann::json options_fingerprint(const TrainOptions& o, int64_t length, const nlohmann::json& task);
std::string fingerprint_difference(const nlohmann::json& a, const nlohmann::json& b);

// The data and splits parts of a labelled set's model metadata.
void describe_data(const data::LoadedSet& loaded, const data::Splits& splits, nn::MetadataParts& parts);

nlohmann::json model_metadata(const TrainOptions& o, const Task& task, const Checkpoint& state, const nn::ModelInfo& info,
                              int64_t length);

}  // namespace seqdl::train
