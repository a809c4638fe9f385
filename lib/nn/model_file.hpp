// The .seqdl model file: one file holding the architecture spec, the weights and the metadata (task type and
// names, input length, encoding, data sources, splits, best epoch and its validation metrics, seqdl version and
// command line), in the checked container of tensor_archive.hpp (magic "SEQDLMOD").
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"
#include "nn/spec.hpp"

namespace seqdl::nn {

struct ModelHeader {
  ArchSpec spec;
  int64_t input_length = 0;
  int64_t tasks = 0;
  nlohmann::json metadata;  // written by train
  uint64_t file_bytes = 0;
  int64_t parameters = 0;
};

struct LoadedNetwork {
  ModelHeader header;
  Network network{nullptr};
};

bool is_seqdl_model(const std::string& path);

// Reads and checks the file (magic, version, sizes, CRC); ModelError otherwise.
ModelHeader read_model_header(const std::string& path);

// The network (in eval mode) with its weights. ModelError if a tensor is missing, unexpected or of the
// wrong shape for the spec.
LoadedNetwork load_network(const std::string& path);

// Writes a network and its metadata atomically; the same weights and metadata give the same bytes.
void save_model(const std::string& path, NetworkImpl& network, const nlohmann::json& metadata);

// Parameters and buffers by name (what a model file and a checkpoint store).
std::vector<std::pair<std::string, torch::Tensor>> network_state(NetworkImpl& network);
// Copies named tensors into a network, checking names and shapes; `source` names the file in messages.
void load_state(NetworkImpl& network, const std::vector<std::pair<std::string, torch::Tensor>>& state,
                const std::string& source);

}  // namespace seqdl::nn
