// The metadata a .seqdl file carries, written and shown in one place: `seqdl train` (and `seqdl import`) build it
// with model_metadata(), open_model reads its declared fields (model_info.hpp: read_declared_info), and
// `seqdl info` renders it with describe_model().
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/model_file.hpp"
#include "nn/model_info.hpp"

namespace seqdl::nn {

// What produced the weights, each part a JSON object (absent parts are left out of the file):
struct MetadataParts {
  nlohmann::json data;        // sources (role, path, records, bytes, md5), examples, cropped, padded, negatives
  nlohmann::json splits;      // train, valid, test, dropped_duplicates
  nlohmann::json training;    // the options that shaped training, epochs_run, best_epoch, stopped_early
  nlohmann::json validation;  // epoch, auprc, auroc (or the profile metrics of profile models)
  nlohmann::json profile;     // coverage models: nn/profile_info.hpp's object
  nlohmann::json source;      // imported models: the TorchScript file and its checksum
  nlohmann::json provenance;  // util/provenance.hpp, without the start time (same seed: same bytes)
};

// The metadata object of a model described by `info`.
nlohmann::json model_metadata(const ModelInfo& info, const MetadataParts& parts);

// `seqdl info`: label/value rows describing a model file, in display order.
std::vector<std::pair<std::string, std::string>> describe_model(const ModelHeader& header, const std::string& path);
// The same as JSON.
nlohmann::json describe_model_json(const ModelHeader& header, const std::string& path);

}  // namespace seqdl::nn
