// The .seqdl model file, LibTorch side: a network with its weights, loaded from or saved to the file that
// model_file.hpp describes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/model_file.hpp"
#include "nn/network.hpp"

namespace seqdl::nn {

struct LoadedNetwork {
  ModelHeader header;
  Network network{nullptr};  // in eval mode
};

// The network with its weights. InputError if the file cannot be opened; ModelError if it is corrupt, if a tensor
// is missing, unexpected or of the wrong shape for the spec, or if a weight is not finite.
LoadedNetwork load_network(const std::string& path);

// Writes a network and its metadata atomically; the same weights and metadata give the same bytes.
void save_model(const std::string& path, NetworkImpl& network, const nlohmann::json& metadata);

// Parameters and buffers by name (what a model file and a checkpoint store); the tensors share the network's
// storage.
std::vector<std::pair<std::string, torch::Tensor>> network_state(NetworkImpl& network);
// Copies named tensors into a network, checking names and shapes; `source` names the file in messages.
void load_state(NetworkImpl& network, const std::vector<std::pair<std::string, torch::Tensor>>& state,
                const std::string& source);

}  // namespace seqdl::nn
