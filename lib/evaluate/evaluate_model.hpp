// The LibTorch half of `seqdl evaluate`: runs the model over the labelled data of the options and pairs its
// outputs with the data's tasks or classes (by name, else by position when the counts agree). The header is
// torch-free; evaluate.hpp's run_evaluate takes score_model as its ModelScorer.
#pragma once

#include "evaluate/evaluate.hpp"

namespace seqdl::evaluate {

// ModelError when the model's outputs cannot score the data's tasks (a multi-class model on binary labels, task
// counts that differ without shared names); InputError/FormatError for unreadable data.
ModelScores score_model(const EvaluateOptions& options);

}  // namespace seqdl::evaluate
