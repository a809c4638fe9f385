// The LibTorch half of `seqdl evaluate --annotation`: runs the model over every base of the genes of the chosen
// chromosomes (each on its transcribed strand) and, when asked, over every base of those chromosomes on both strands
// (infer/strand_scan.hpp), feeding the acceptor and donor scores with their labels to the request's sinks. The header
// is torch-free; splice_evaluate.hpp's run_splice_evaluate takes score_splice_sites as its SpliceScorer.
#pragma once

#include "evaluate/splice_evaluate.hpp"

namespace seqdl::evaluate {

// Outputs: those named by --acceptor-output / --donor-output, else those named acceptor and donor. ModelError when
// the model has neither; UsageError for a bad output name or --site-index; InputError for a contig the genome lacks.
SpliceScoring score_splice_sites(const EvaluateOptions& options, const SpliceScoringRequest& request);

}  // namespace seqdl::evaluate
