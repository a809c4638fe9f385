// The .seqdl model file, torch-free side: one file holding the architecture spec, the weights and the metadata
// (task type and names, input length, encoding, data sources, splits, best epoch and its validation metrics,
// seqdl version and command line), in the checked container of archive_format.hpp (magic "SEQDLMOD").
// Loading the weights into a network is network_file.hpp's job.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/spec.hpp"

namespace seqdl::nn {

inline constexpr char kModelMagic[9] = "SEQDLMOD";

struct ModelHeader {
  ArchSpec spec;
  int64_t input_length = 0;
  int64_t tasks = 0;
  nlohmann::json metadata;  // written by train (or import)
  uint64_t file_bytes = 0;
  int64_t parameters = -1;  // trainable parameters (-1: the file does not say)
};

// True if the file starts with the .seqdl magic (false for a missing or unreadable file).
bool is_seqdl_model(const std::string& path);

// Reads and checks the whole file (magic, version, sizes, CRC) without building the network. InputError if it
// cannot be opened; ModelError otherwise.
ModelHeader read_model_header(const std::string& path);

// The header's fields from the archive header JSON. ModelError naming `path` for a missing or malformed field.
ModelHeader parse_model_header(const nlohmann::json& header, const std::string& path);

}  // namespace seqdl::nn
