// The container behind .seqdl model files and training checkpoints: a JSON header and named tensors in one
// file, checked end to end.
//
// Layout (little-endian): 8-byte magic | u32 format version | u64 header length H | H bytes of JSON (the
// caller's fields plus a "tensors" table of name, dtype, shape, offset, bytes) | tensor bytes | u32 CRC-32 of
// everything before it. Truncated, corrupt and foreign files are ModelErrors, never crashes.
#pragma once

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace seqdl::nn {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct Archive {
  nlohmann::json header;  // the caller's fields (without the tensor table)
  NamedTensors tensors;   // in file order, as float32/int64 CPU tensors
  uint64_t bytes = 0;
};

// Writes atomically; the same header and tensors always give the same bytes.
void write_archive(const std::string& path, const char (&magic)[9], const nlohmann::json& header,
                   const NamedTensors& tensors);

// Reads and checks a whole archive. `what` names the kind of file in messages ("seqdl model").
Archive read_archive(const std::string& path, const char (&magic)[9], const std::string& what,
                     bool with_tensors = true);

bool has_magic(const std::string& path, const char (&magic)[9]);

}  // namespace seqdl::nn
