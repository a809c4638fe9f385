// The network a coverage model trains, from the architecture the user named (`--arch bpnet` or a spec file):
// `--arch-option` changes to BPNet's numbers, the profile length, the binned track head of regression models, and
// ChromBPNet's bias factorisation (a frozen bias model's layers beside the main ones). Torch-free.
//
// BPNet-like specs name their parts: "stem" (first conv), "trunk" (residual_tower), "profile_conv" (the profile
// head's convolution), "profile" (its crop to the output), "counts_crop" (the trunk cropped to the output plus the
// profile head's reach), "counts" (the linear counts head). Options on them:
//   filters=N         channels of the stem and the tower (64)
//   layers=N          residual layers, dilations 2..2^N (8)
//   stem-kernel=N     first convolution's width (21)
//   profile-kernel=N  profile head's width (75); the counts crop follows it
// and --output-length sets both crops (profile: N; counts: N + 2 x (profile-kernel / 2)).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/spec.hpp"

namespace seqdl::train {

struct CoverageArchOptions {
  std::vector<std::string> arch_options;  // KEY=VALUE
  int64_t output_length = 0;              // 0: keep the spec's
  int64_t bin = 0;                        // > 0: regression on bins of this many bases (one "tracks" head)
};

// The adapted spec. UsageError for an unknown option or value, or options on a spec without the named parts.
nn::ArchSpec adapt_coverage_arch(nn::ArchSpec spec, const CoverageArchOptions& options);

// The spec with a bias model's layers added (each named "bias_<name>", reading the same input) and the heads
// combined as ChromBPNet does: profile = main + bias profile logits, counts = logsumexp(main, bias counts); the
// outputs are profile, counts, profile_nobias, counts_nobias. `bias` must have profile and counts heads.
nn::ArchSpec add_bias_model(const nn::ArchSpec& main, const nn::ArchSpec& bias, const std::string& bias_source);

// The name the bias model's weight `name` has in the combined network.
std::string bias_weight_name(const std::string& name);

}  // namespace seqdl::train
