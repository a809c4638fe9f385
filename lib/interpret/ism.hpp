// `seqdl ism`: in-silico saturation mutagenesis. Every position (or those in [start, end)) is mutated to each
// of the other three bases; the effect is the explained score of the mutant minus that of the reference
// (0 at the reference base; all four bases are mutants at an N). 3L + 1 model evaluations per sequence, batched.
//
// For zoo networks whose first layers are unpadded convolutions, pools, batch norm and activations, the fast
// method recomputes only what a mutation can reach (the idea of fastISM, Nair et al. 2022): at each of those
// layers the changed span of the output grows by the layer's receptive field, the reference activations are
// reused elsewhere, and the layers after them run on the spliced result. It equals the naive method up to
// floating-point summation order.
#pragma once

#include <cstdint>
#include <string>

#include "data/sequence_source.hpp"
#include "interpret/sequence_batches.hpp"
#include "interpret/target_spec.hpp"
#include "nn/model_info.hpp"
#include "util/choices.hpp"

namespace seqdl::interpret {

enum class IsmMethod { automatic, naive, fast };
inline constexpr Choices<IsmMethod, 3> kIsmMethodChoices{
    {{"auto", IsmMethod::automatic}, {"naive", IsmMethod::naive}, {"fast", IsmMethod::fast}}};

struct IsmOptions {
  std::string model;
  nn::ModelOverrides overrides;
  data::SourceSpec sequences;
  TargetSpec target;
  IsmMethod method = IsmMethod::automatic;  // fast where the model allows it
  int64_t start = 0, end = 0;               // positions mutated, 0-based half-open within the window (0/0: all)
  int64_t batch = 256;
  std::string output;                       // .npy [n, 4, length] of deltas
  std::string ids_output;
  std::string tsv_output;                   // long TSV: id, position, ref, alt, delta
  std::string summary_output;               // per position: id, position, ref, largest |delta|, min, max
  std::string plot_dir;
  int64_t plot_max = 20;
};

struct IsmSummary {
  uint64_t sequences = 0;
  InputCounts input;  // cropped and skipped sequences
  bool fast = false;
  std::string method;  // which was used, and why not fast where it could not be
  double seconds = 0;
};

// Errors as run_saliency's.
IsmSummary run_ism(const IsmOptions& options);

}  // namespace seqdl::interpret
