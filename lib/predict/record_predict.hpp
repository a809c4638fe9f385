// Predictions per record: one per BED/narrowPeak interval of a genome (a window centred on its summit or
// centre), per sequence of a FASTA/FASTQ/table, or per read of a SAM/BAM/CRAM file.
#pragma once

#include "nn/model.hpp"
#include "predict/predict.hpp"

namespace seqdl::predict {

PredictSummary predict_records(const PredictOptions& options, nn::Model& model);

}  // namespace seqdl::predict
