// Architecture specs: a model is a list of layers in JSON (models/<name>.json for the zoo, or a user's
// file), so that widths, depths, kernel sizes, dropout, input length and task count can change without
// code. Torch-free: commands read and print specs without LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace seqdl::nn {

struct ArchSpec {
  std::string name;
  std::string description;
  int64_t input_length = 0;             // the published input length (commands may override it)
  int64_t tasks = 1;                    // the published number of outputs (training sets its own)
  std::vector<std::string> task_names;  // optional default names of the outputs
  nlohmann::json layers;                // [{"type": "conv", "filters": 300, "kernel": 19}, ...]; a layer reads the
                                        // one before it, or the layers its "inputs" name (graph.hpp)
  nlohmann::json outputs;               // [{"name": "profile", "layer": "..."}, ...]; null: the last layer

  nlohmann::json to_json() const;
  // Validates the structure (known layer types, required fields, value ranges). ModelError naming `source`.
  static ArchSpec from_json(const nlohmann::json& j, const std::string& source);
};

// A zoo architecture by name ("deepbind", "basset", "deepsea", "danq", "spliceai80", "transformer"), or a
// spec file path. UsageError for an unknown name, ModelError for a malformed file.
ArchSpec load_arch(const std::string& name_or_path);
std::vector<std::string> zoo_names();

// The layer types a spec may use.
const std::vector<std::string>& layer_types();

}  // namespace seqdl::nn
