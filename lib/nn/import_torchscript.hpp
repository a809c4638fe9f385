// TorchScript import, LibTorch side (see nn/import.hpp for what maps and how it is checked).
#pragma once

#include <torch/script.h>

#include <memory>
#include <string>

#include "nn/import.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"

namespace seqdl::nn {

struct ImportResult {
  ImportReport report;
  Network network{nullptr};  // in eval mode; null when the import stopped
};

// Maps `module`'s forward, for one-hot inputs [batch, 4, input_length], onto seqdl's layers and checks the result
// against the module. Never throws for a model it cannot import: the report says why. Puts `module` in eval mode
// and otherwise leaves it unchanged (the walk runs on a frozen copy); leaves LibTorch's global random generator
// untouched.
ImportResult import_torchscript(torch::jit::script::Module& module, int64_t input_length, const std::string& source);

// A TorchScript file and what it and the flags declare (its seqdl.json, --window, ...). InputError/ModelError/
// UsageError as open_model.
struct LoadedTorchScript {
  torch::jit::script::Module module;
  ModelInfo info;  // form torchscript; heads not yet described
};
LoadedTorchScript load_torchscript(const std::string& path, const ModelOverrides& overrides);

// open_model for TorchScript files: imported into seqdl's layers unless overrides.no_import, else (or when the
// import stops) the module run as it is, with the reason logged (debug for an op without a mapping, a warning for a
// failed check).
std::unique_ptr<Model> open_torchscript(const std::string& path, const ModelOverrides& overrides);

// Checks `network` against `module` on random one-hot inputs (see nn/import.hpp). Fills report.max_difference,
// checked_inputs, and on failure check_failed and stopped_by.
void check_import(torch::jit::script::Module& module, NetworkImpl& network, ImportReport& report);

}  // namespace seqdl::nn
