// `seqdl evaluate --coverage`: a profile model (BPNet, ChromBPNet) or a coverage-track model against observed read
// coverage around peaks. Torch-free: part of EvaluateOptions (evaluate.hpp); the work is in profile_evaluate.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/coverage_source.hpp"

namespace seqdl::evaluate {

struct ProfileEvaluateOptions {
  io::CoverageOptions coverage;          // --coverage, --coverage-format, --min-mapq; strands follow the model
  std::optional<std::string> shift;      // --shift (default: what the model was trained with)
  std::string peaks, exclude;            // --peaks, --exclude
  std::vector<std::string> chroms;       // --chroms: evaluate on these (default: the model's test chromosomes)
  double background_ratio = 1.0;         // --negative-ratio: GC-matched background windows per peak (AUPRC)
  int64_t examples = 6;                  // --report: peaks whose profiles are drawn
  std::string predictions;               // --predictions: per-peak TSV (observed/predicted totals, JSD, Pearson)

  bool enabled() const { return !coverage.inputs.empty(); }
};

}  // namespace seqdl::evaluate
