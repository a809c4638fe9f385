// Named tensors in the checked container of archive_format.hpp: what .seqdl model files and training
// checkpoints hold.
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/archive_format.hpp"

namespace seqdl::nn {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct Archive {
  nlohmann::json header;  // the caller's fields (without the tensor table)
  NamedTensors tensors;   // in file order, as float32/int64/uint8 CPU tensors
  uint64_t bytes = 0;
};

// Writes atomically; the same header and tensors always give the same bytes. ModelError for a tensor type the
// container does not store.
void write_archive(const std::string& path, const char (&magic)[9], const nlohmann::json& header,
                   const NamedTensors& tensors);

// Reads and checks a whole archive. `what` names the kind of file in messages ("seqdl model"). Errors as
// ArchiveReader's.
Archive read_archive(const std::string& path, const char (&magic)[9], const std::string& what);

}  // namespace seqdl::nn
