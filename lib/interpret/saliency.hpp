// `seqdl saliency`: per-base attributions of one model output, by the input gradient, gradient x input,
// integrated gradients (Sundararajan et al. 2017), or DeepLIFT's rescale rule averaged over references (DeepSHAP;
// interpret/deeplift.hpp), against all-zero, uniform, dinucleotide-shuffled or given references
// (interpret/references.hpp). Integrated gradients and DeepLIFT report their completeness (summation-to-delta)
// error per sequence and warn when it exceeds a tolerance. Over genome regions the observed bases' contributions
// also go to a track (bigWig or bedGraph), averaged where windows overlap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/sequence_source.hpp"
#include "interpret/sequence_batches.hpp"
#include "interpret/target_spec.hpp"
#include "nn/model_info.hpp"
#include "util/choices.hpp"

namespace seqdl::interpret {

enum class SaliencyMethod { gradient, grad_x_input, integrated_gradients, deeplift, deepshap };
inline constexpr Choices<SaliencyMethod, 5> kSaliencyMethodChoices{
    {{"gradient", SaliencyMethod::gradient},
     {"grad-x-input", SaliencyMethod::grad_x_input},
     {"integrated-gradients", SaliencyMethod::integrated_gradients},
     {"deeplift", SaliencyMethod::deeplift},
     {"deepshap", SaliencyMethod::deepshap}}};
enum class Baseline { zeros, uniform, shuffled, file };
inline constexpr Choices<Baseline, 3> kBaselineChoices{
    {{"zeros", Baseline::zeros}, {"uniform", Baseline::uniform}, {"shuffled", Baseline::shuffled}}};

struct SaliencyOptions {
  std::string model;
  nn::ModelOverrides overrides;
  data::SourceSpec sequences;
  TargetSpec target;
  SaliencyMethod method = SaliencyMethod::grad_x_input;
  int steps = 50;                 // integrated gradients: points on the path (midpoint rule)
  std::optional<Baseline> baseline;  // default: shuffled for DeepSHAP, zeros otherwise
  std::string baseline_file;      // Baseline::file: .npy [n, R, 4, L] or [R, 4, L], or FASTA
  std::optional<int> references;  // shuffled references per sequence (default 20 for DeepSHAP, 10 for IG)
  double tolerance = 0;           // relative completeness error that warns (0: 1e-3 for DeepLIFT, 0.05 for IG)
  bool hypothetical = false;      // -o gets hypothetical attributions for all four bases (TF-MoDISco's layout)
  std::string hypothetical_output;  // or: they go to this .npy and -o keeps the observed bases' contributions
  int64_t batch = 64;             // sequences per batch (DeepLIFT: fewer, so that input-reference pairs fit)
  uint64_t seed = 0;
  std::string genome;             // with regions: windows of the model's length centred on each region
  std::vector<std::string> regions;
  std::string shard;              // "K/N": the K-th contiguous part of the regions
  std::string output;             // .npy [n, 4, length]; with --genome a track (.bw, .bedGraph) of the observed
                                  // bases' contributions, and the arrays go to contributions_output
  std::string contributions_output;  // with --genome: the contributions .npy
  std::string ids_output;         // default OUTPUT .npy -> .ids.txt
  std::string one_hot_output;     // optional .npy of the one-hot sequences (for TF-MoDISco-lite)
  std::string stats_output;       // optional TSV: id, score, baseline score, sum of attributions, error
  std::string plot_dir;           // optional SVG logos
  int64_t plot_max = 20;
};

struct SaliencySummary {
  uint64_t sequences = 0;
  InputCounts input;              // cropped and skipped sequences
  uint64_t over_tolerance = 0;    // integrated gradients and DeepLIFT
  double worst_error = 0;
  double tolerance = 0;           // the one applied
  int references = 0;             // per sequence
  std::string target;
  std::string method;             // for the log, e.g. "DeepSHAP (20 dinucleotide-shuffled references)"
  std::vector<std::string> outputs;
  double seconds = 0;             // explaining and writing, after the model is loaded
};

// UsageError for contradictory options, InputError/FormatError for bad input, ModelError for a model that
// cannot be explained this way; no output is left behind then.
SaliencySummary run_saliency(const SaliencyOptions& options);

}  // namespace seqdl::interpret
