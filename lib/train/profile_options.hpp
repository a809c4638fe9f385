// `seqdl train` on read coverage: the options of base-resolution profile models (BPNet, ChromBPNet; profile_task.hpp)
// and of binned coverage-track regression (Basenji-style; track_task.hpp). Torch-free: part of TrainOptions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/coverage_source.hpp"
#include "util/choices.hpp"

namespace seqdl::train {

enum class TrackLoss { poisson, mse };
inline constexpr Choices<TrackLoss, 2> kTrackLossChoices{{{"poisson", TrackLoss::poisson}, {"mse", TrackLoss::mse}}};

struct ProfileTrainOptions {
  io::CoverageOptions coverage;        // --coverage (inputs empty: not a coverage task), --coverage-format, --shift, --strand
  io::CoverageOptions control;         // --control: an input or bias track (same format rules)
  std::string task_name = "coverage";  // --task-name: the coverage task's name in the model's outputs
  std::string peaks, exclude;          // --peaks (narrowPeak or summits BED), --exclude (blacklist BED)
  int64_t output_length = 0;           // --output-length: profile length (0: the architecture's)
  int64_t jitter = 128;                // --jitter: training windows move by up to this many bases
  bool rc = true;                      // reverse-complement half of the training windows (--no-rc-augment: off)
  std::string counts_weight = "auto";  // --counts-weight: lambda; auto = median training-peak total / 10
  std::vector<std::string> arch_options;  // --arch-option KEY=VALUE: filters, layers, stem-kernel, profile-kernel
  std::string bias_model;              // --bias-model: a trained profile model, frozen; ChromBPNet's factorisation
  int64_t bin = 0;                     // --bin: > 0 trains binned track regression instead of a profile model
  TrackLoss track_loss = TrackLoss::poisson;  // --track-loss

  bool enabled() const { return !coverage.inputs.empty(); }
};

}  // namespace seqdl::train
