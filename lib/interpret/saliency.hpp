// `seqdl saliency`: per-base attributions of one model output, by the input gradient, gradient x input, or
// integrated gradients (Sundararajan et al. 2017) from an all-zero, uniform or dinucleotide-shuffled baseline.
// Integrated gradients reports its completeness error (the attributions' sum against the output difference
// between input and baseline) and warns when it exceeds a tolerance.
#pragma once

#include <cstdint>
#include <string>

#include "data/sequence_source.hpp"
#include "interpret/sequence_batches.hpp"
#include "interpret/target_spec.hpp"
#include "nn/model_info.hpp"
#include "util/choices.hpp"

namespace seqdl::interpret {

enum class SaliencyMethod { gradient, grad_x_input, integrated_gradients };
inline constexpr Choices<SaliencyMethod, 3> kSaliencyMethodChoices{{{"gradient", SaliencyMethod::gradient},
                                                                    {"grad-x-input", SaliencyMethod::grad_x_input},
                                                                    {"integrated-gradients", SaliencyMethod::integrated_gradients}}};
enum class Baseline { zeros, uniform, shuffled };
inline constexpr Choices<Baseline, 3> kBaselineChoices{
    {{"zeros", Baseline::zeros}, {"uniform", Baseline::uniform}, {"shuffled", Baseline::shuffled}}};

struct SaliencyOptions {
  std::string model;
  nn::ModelOverrides overrides;
  data::SourceSpec sequences;
  TargetSpec target;
  SaliencyMethod method = SaliencyMethod::grad_x_input;
  int steps = 50;                 // integrated gradients: points on the path (midpoint rule)
  Baseline baseline = Baseline::zeros;
  int references = 10;            // shuffled baselines averaged
  double tolerance = 0.05;        // completeness error (relative) above which integrated gradients warns
  bool hypothetical = false;      // attributions for all four bases (TF-MoDISco-lite's layout)
  int64_t batch = 64;
  uint64_t seed = 0;
  std::string output;             // .npy [n, 4, length]
  std::string ids_output;         // default OUTPUT .npy -> .ids.txt
  std::string one_hot_output;     // optional .npy of the one-hot sequences (for TF-MoDISco-lite)
  std::string stats_output;       // optional TSV: id, score, baseline score, sum of attributions, error
  std::string plot_dir;           // optional SVG logos
  int64_t plot_max = 20;
};

struct SaliencySummary {
  uint64_t sequences = 0;
  InputCounts input;              // cropped and skipped sequences
  uint64_t over_tolerance = 0;    // integrated gradients
  double worst_error = 0;
  std::string target;
};

// UsageError for contradictory options, InputError/FormatError for bad input, ModelError for a model that
// cannot be explained this way; no output is left behind then.
SaliencySummary run_saliency(const SaliencyOptions& options);

}  // namespace seqdl::interpret
