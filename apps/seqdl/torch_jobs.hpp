// The commands that need LibTorch run in a library that `seqdl` loads on demand (seqdl_torch.so, beside the
// binary or in ../lib/seqdl), so that the others (encode, simulate, motifs scan/compare/discover, sites,
// evaluate on score tables, info on a .seqdl file) start without paying for LibTorch's ~0.4 s load.
//
// This header is the whole interface between the two halves: a table of entry points, filled in by the library
// (torch_plugin.cpp) and looked up by name. Both halves are built from the same sources in one build, so the
// option structs cross as they are; `abi` catches a stale library from another build.
#pragma once

#include <cstdint>
#include <string>

#include "evaluate/evaluate.hpp"
#include "interpret/ism.hpp"
#include "interpret/saliency.hpp"
#include "motif_extract/extract.hpp"
#include "nn/import.hpp"
#include "nn/model_info.hpp"
#include "nn/runtime.hpp"
#include "predict/predict.hpp"
#include "train/train.hpp"
#include "variants/variants.hpp"

namespace seqdl::cli {

inline constexpr int kTorchJobsAbi = 2;

struct TorchJobs {
  int abi = 0;
  // LibTorch's threads and seed (--threads, --seed); called once when the library is loaded.
  void (*configure)(int threads, uint64_t seed) = nullptr;
  nn::RuntimeInfo (*runtime_info)() = nullptr;
  // What open_model makes of a model file (TorchScript files need LibTorch to be read at all).
  nn::ModelInfo (*open_model_info)(const std::string& path, const nn::ModelOverrides& overrides) = nullptr;
  train::TrainSummary (*train)(const train::TrainOptions&) = nullptr;
  evaluate::EvaluateSummary (*evaluate)(const evaluate::EvaluateOptions&) = nullptr;
  predict::PredictSummary (*predict)(const predict::PredictOptions&) = nullptr;
  interpret::SaliencySummary (*saliency)(const interpret::SaliencyOptions&) = nullptr;
  interpret::IsmSummary (*ism)(const interpret::IsmOptions&) = nullptr;
  variants::VariantsSummary (*variants)(const variants::VariantsOptions&) = nullptr;
  motif::ExtractSummary (*extract)(const motif::ExtractOptions&) = nullptr;
  // `seqdl info model.pt` and `seqdl import` (nn/import.hpp).
  nn::TorchScriptInfo (*describe_torchscript)(const std::string& path, const nn::ModelOverrides& overrides) = nullptr;
  nn::ImportSummary (*import_model)(const nn::ImportOptions&) = nullptr;
};

// The name the library exports its table under: extern "C" const TorchJobs* seqdl_torch_jobs().
inline constexpr const char* kTorchJobsSymbol = "seqdl_torch_jobs";
inline constexpr const char* kTorchLibraryName = "libseqdl_torch.so";

// Loads the library on first use (thread-safe), configures LibTorch with `threads` and `seed`, and returns its
// table. Throws std::runtime_error (exit status 1: an installation problem, not the user's input) when the library
// cannot be found or loaded.
const TorchJobs& torch_jobs(int threads, uint64_t seed);

}  // namespace seqdl::cli
