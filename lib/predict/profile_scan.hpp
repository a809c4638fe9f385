// The genome scan of coverage models: windows advance by the output length, so that every base gets exactly one
// prediction, and each window's outputs become per-base predicted counts, stitched window after window:
//   profile models (BPNet)  softmax(profile logits) x expm1(log counts) per channel (task and strand): the reads
//                           the model expects at each base
//   track models (--bin)    exp(output) (Poisson) or expm1(output) (MSE) per bin, written over the bin's bases
// One track per channel (one file for a single channel, else NAME.<task>.<strand>.EXT). The trunk is shared between
// overlapping windows (infer/window_runner.hpp); --window-by-window checks that against the plain computation.
#pragma once

#include "nn/model.hpp"
#include "predict/predict.hpp"

namespace seqdl::predict {

// UsageError for options that do not apply (--rc, --stride, --logits, BED calls).
PredictSummary scan_profile(const PredictOptions& options, nn::Model& model);

}  // namespace seqdl::predict
