// The genome scan: a model along every contig of an indexed FASTA (or --regions), chunk by chunk, written as a
// track in genome order.
#pragma once

#include "nn/model.hpp"
#include "predict/predict.hpp"

namespace seqdl::predict {

PredictSummary scan_genome(const PredictOptions& options, nn::Model& model);

}  // namespace seqdl::predict
