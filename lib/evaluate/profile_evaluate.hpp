// The LibTorch half of `seqdl evaluate --coverage`: a profile model (BPNet, ChromBPNet) or a binned coverage-track
// model run over the peaks of some chromosomes (by default the test chromosomes the model records), scored against
// the observed coverage as the reference recipe scores it (../shared/bench/reference/bpnet.py):
//   counts_pearson, counts_spearman   predicted vs observed log(1 + total) over the peaks (and channels)
//   profile_jsd_median                median Jensen-Shannon distance, observed counts vs softmax(profile)
//   profile_pearson_median            median per-peak Pearson of observed counts and predicted probabilities
//   baseline_jsd_median (and _pearson_) the same for the average normalised training-peak profile (in the model)
//   auprc, auroc                      peaks vs GC-matched background windows, scored by the predicted total
// Track models: Pearson of predicted vs observed binned coverage per track, over peak and background windows.
// Outputs: the JSON (--json) or a metric/value TSV, --predictions (per peak), --report (profile_report.hpp).
#pragma once

#include "evaluate/evaluate.hpp"

namespace seqdl::evaluate {

// UsageError for options that do not fit (a model that is not a coverage model, no chromosomes to evaluate on),
// InputError/FormatError for bad data; nothing is written then.
EvaluateSummary run_profile_evaluate(const EvaluateOptions& options);

}  // namespace seqdl::evaluate
