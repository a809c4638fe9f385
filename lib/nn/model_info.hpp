// What every command needs to know about a model, without LibTorch: its input length and encoding, its
// outputs and what they mean, and the two rules every command applies to them (which output a name or index
// picks, and how logits become probabilities). open_model (nn/model.hpp) fills a ModelInfo once, validated,
// for every model form (.seqdl, TorchScript, imported TorchScript); commands and their option structs carry only
// this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/labelled_set.hpp"
#include "encode/one_hot.hpp"
#include "nn/profile_info.hpp"

namespace seqdl::nn {

enum class ModelForm {
  seqdl,        // a .seqdl file: seqdl's own network and metadata
  torchscript,  // a TorchScript file run as it is (its layers are not visible to seqdl)
  imported,     // a TorchScript file whose graph was imported into seqdl's layers (nn/import.hpp)
};
std::string_view model_form_name(ModelForm form);

// One named output head of a network. Most models have one; profile models (BPNet) have a profile head and a
// counts head.
struct OutputHead {
  std::string name;           // "logits", "profile", "counts", ...
  int64_t channels = 0;       // tasks or classes
  bool per_position = false;  // [batch, channels, positions] rather than [batch, channels]
  int64_t positions = 0;      // per-position heads: positions per window
  int64_t offset = 0;         // per-position heads: input position of the first output
};

struct ModelInfo {
  std::string source;  // the file, for messages
  ModelForm form = ModelForm::seqdl;
  int64_t input_length = 0;
  std::vector<std::string> task_names;            // one per output of the first head (per class for multi-class)
  data::TaskType task_type = data::TaskType::binary;
  encode::Unknown unknown = encode::Unknown::zero;  // how the model was trained to see N and IUPAC codes
  std::vector<OutputHead> heads;                  // heads[0] is what commands score unless told otherwise
  nlohmann::json metadata;                        // the .seqdl metadata, or a TorchScript file's seqdl.json
  std::optional<ProfileInfo> profile;             // coverage models (metadata "profile"): what their heads mean

  // The first head's layout.
  bool per_position() const { return !heads.empty() && heads[0].per_position; }
  int64_t output_positions() const { return heads.empty() ? 0 : heads[0].positions; }
  int64_t output_offset() const { return heads.empty() ? 0 : heads[0].offset; }
  bool multiclass() const { return task_type == data::TaskType::multiclass; }
};

// What flags say about a model that its file may not (a .seqdl file says it all; a TorchScript file may say
// some of it in its seqdl.json). Empty fields leave the file's value.
struct ModelOverrides {
  int64_t window = 0;                    // input length
  std::vector<std::string> task_names;
  std::optional<data::TaskType> task_type;
  std::optional<encode::Unknown> unknown;
  bool no_import = false;                // TorchScript files: run the module as it is, not imported (nn/import.hpp)
};

// How logits become probabilities: a sigmoid per output, or a softmax over the classes (multi-class).
enum class Activation { sigmoid, softmax };
inline Activation output_activation(data::TaskType type) {
  return type == data::TaskType::multiclass ? Activation::softmax : Activation::sigmoid;
}
// The rule applied in place to one row of `k` logits (score tables; the tensor form is in infer/outputs.hpp).
void activate_row(Activation activation, double* row, size_t k);

// The output index named `text`: a task or class name, or an index. UsageError naming `option` and the model's
// outputs otherwise.
int64_t resolve_output(const ModelInfo& info, std::string_view text, std::string_view option);
// Several; all outputs in order when `wanted` is empty.
std::vector<int64_t> resolve_outputs(const ModelInfo& info, const std::vector<std::string>& wanted,
                                     std::string_view option);

// Checks what a model file or TorchScript metadata declared: task names against the head's channels, task type
// against the outputs (multi-class needs two or more). ModelError naming info.source otherwise.
void check_model_info(const ModelInfo& info);

// Reads the fields of a seqdl.json / .seqdl metadata object into `info` (task_type, task_names, input_length,
// encoding), validating each. ModelError naming `source` for a wrong type or an unknown task type.
void read_declared_info(const nlohmann::json& metadata, const std::string& source, ModelInfo& info);

// Applies the flags over what the file declared. UsageError where a flag contradicts a .seqdl file.
void apply_overrides(const ModelOverrides& overrides, ModelInfo& info);

}  // namespace seqdl::nn
