// The LibTorch half of seqdl (see torch_jobs.hpp): the library's table of entry points.
#include "evaluate/evaluate_model.hpp"
#include "evaluate/profile_evaluate.hpp"
#include "evaluate/splice_scoring.hpp"
#include "nn/import.hpp"
#include "nn/model.hpp"
#include "torch_jobs.hpp"

namespace seqdl::cli {
namespace {

evaluate::EvaluateSummary evaluate_with_model(const evaluate::EvaluateOptions& o) {
  if (!o.splice.annotation.empty()) return evaluate::run_splice_evaluate(o, &evaluate::score_splice_sites);
  if (o.profile.enabled()) return evaluate::run_profile_evaluate(o);  // --coverage: profile and track models
  return evaluate::run_evaluate(o, &evaluate::score_model);
}

nn::ModelInfo open_model_info(const std::string& path, const nn::ModelOverrides& overrides) {
  return nn::open_model(path, overrides)->info();
}

const TorchJobs kJobs = {
    .abi = kTorchJobsAbi,
    .configure = &nn::configure_runtime,
    .runtime_info = &nn::runtime_info,
    .open_model_info = &open_model_info,
    .train = &train::train_model,
    .evaluate = &evaluate_with_model,
    .predict = &predict::run_predict,
    .saliency = &interpret::run_saliency,
    .ism = &interpret::run_ism,
    .variants = &variants::run_variants,
    .extract = &motif::run_extract,
    .describe_torchscript = &nn::describe_torchscript,
    .import_model = &nn::import_model_file,
};

}  // namespace
}  // namespace seqdl::cli

extern "C" __attribute__((visibility("default"))) const seqdl::cli::TorchJobs* seqdl_torch_jobs() {
  return &seqdl::cli::kJobs;
}
