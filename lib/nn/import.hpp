// TorchScript import, torch-free side: what an import found (for `seqdl info model.pt` and messages) and the jobs
// behind `seqdl info` on a TorchScript file and `seqdl import`. The importer itself (nn/import_torchscript.hpp) maps a
// frozen TorchScript graph onto seqdl's layers, so that a model exported from PyTorch takes every fast path a .seqdl
// model takes (shared-trunk scans, local-recompute ISM and variants, DeepLIFT's rules).
//
// What maps: conv1d (padding, stride, dilation, bias), batch_norm (eval), relu, elu, gelu, sigmoid, tanh, softplus,
// exp, max_pool1d, avg_pool1d, adaptive pools, amax/max/mean over the length, linear/addmm/matmul with a constant
// weight (a 1x1 convolution on [batch, length, channels]), a constant added right after such a layer (its bias),
// flatten/view/reshape/squeeze that only flatten, dropout and copies (identities), add of two activations, cat along
// channels, constant padding, slices of the length (crops), transposes of channels and length, and bidirectional
// batch-first LSTMs. Shapes, sizes, lists and branches are evaluated for the model's input length; a branch or loop
// that depends on the input's values stops the import.
//
// Checked: an imported network is compared with the TorchScript forward on random one-hot inputs (batches of 1 and
// 4), an all-N row and a uniform 0.25 row, through both the one-hot and the base-index paths: it is used only when
// every output agrees within kImportTolerance. There is no check on the user's own batches: with data-dependent
// control flow refused, inputs of the same shape run the same ops, and the random inputs exercise every weight.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/model_info.hpp"

namespace seqdl::nn {

// The check's tolerance: max |seqdl - TorchScript| <= kImportTolerance * max(1, max |TorchScript|), per output.
inline constexpr double kImportTolerance = 1e-5;

struct ImportReport {
  bool imported = false;
  std::string stopped_by;    // not imported: the op that has no mapping (and where), or the check that failed
  bool check_failed = false; // every op mapped but the outputs differ (a warning, where an unmapped op is a debug note)
  nlohmann::json spec;       // the mapped ArchSpec (once every op mapped)
  int64_t input_length = 0;
  double max_difference = 0;  // the check's worst relative difference
  int64_t checked_inputs = 0;
};

// `seqdl info model.pt`: the model as commands open it, and the import's report.
struct TorchScriptInfo {
  ModelInfo info;
  ImportReport report;
};
// InputError/ModelError/UsageError as open_model.
TorchScriptInfo describe_torchscript(const std::string& path, const ModelOverrides& overrides);

// `seqdl import`: a TorchScript file written as a .seqdl model (spec, weights, metadata with the source file's path,
// size and md5).
struct ImportOptions {
  std::string model;           // the TorchScript file
  ModelOverrides overrides;    // --window, --task-names, --task-type, --unknown
  std::string output;          // the .seqdl file
};
struct ImportSummary {
  ImportReport report;
  int64_t layers = 0;
  int64_t parameters = 0;
  std::string md5;  // of the TorchScript file
};
// ModelError naming the op or check when the model does not import; errors of open_model otherwise. Writes the
// output atomically.
ImportSummary import_model_file(const ImportOptions& options);

}  // namespace seqdl::nn
