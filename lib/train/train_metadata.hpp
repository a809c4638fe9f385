// What training records about itself: the dataset summary in the log, the split files, the model file's
// metadata, and the fingerprint that ties a checkpoint to its options and data.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "data/labelled_sources.hpp"
#include "data/splits.hpp"
#include "nn/model.hpp"
#include "train/checkpoint.hpp"
#include "train/train.hpp"

namespace seqdl::train {

void log_dataset(const data::LoadedSet& loaded, const data::Splits& splits);
void save_splits(const data::Splits& splits, const std::string& folder);

nn::ModelInfo model_info(const data::LabelledSet& set, int64_t length, encode::Unknown unknown);

nlohmann::json options_fingerprint(const TrainOptions& o, int64_t length);
std::string fingerprint_difference(const nlohmann::json& a, const nlohmann::json& b);

nlohmann::json model_metadata(const TrainOptions& o, const data::LoadedSet& loaded, const data::Splits& splits,
                              const Checkpoint& state, const nn::ModelInfo& info);

}  // namespace seqdl::train
