// Stranded genome scans (predict.hpp's StrandTracks): each selected output of a per-position model written once per
// strand, the minus strand from the reverse complement run (infer/strand_scan.hpp) and flipped back to genome order.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "encode/one_hot.hpp"
#include "infer/outputs.hpp"
#include "infer/strand_scan.hpp"
#include "io/indexed_fasta.hpp"
#include "nn/model.hpp"
#include "predict/predict.hpp"

namespace seqdl::predict {

// Whether a genome scan writes strand tracks. UsageError for --strand-tracks both with a per-window model or with
// --rc (which combines the strands instead).
bool use_strand_tracks(const nn::ModelInfo& info, const PredictOptions& options);

// Whether a model says it was trained on one strand's labels (a .seqdl file's data.strand_specific, or
// strand_specific in a TorchScript file's seqdl.json).
bool strand_specific(const nn::ModelInfo& info);

// The tracks of `tasks`: <task>.plus and <task>.minus for each, and their strands ('+', '-', ...).
std::vector<std::string> strand_track_names(const std::vector<std::string>& tasks);
std::vector<char> strand_track_strands(size_t tasks);

// The minus strand's outputs of a span of bases, in genome order. Refers to the model and table (they must outlive
// it); one thread at a time.
class MinusStrand {
 public:
  MinusStrand(nn::Model& model, const encode::OneHotTable& table, int64_t batch, bool logits, bool allow_shared);
  // Runs genomic [begin, end) of `chrom` on the minus strand (windows N-padded off the contig).
  void run(const io::IndexedFasta& genome, const std::string& chrom, int64_t begin, int64_t end);
  // Turns values[k] (the plus strand of selected output k) into values[2k] (plus) and values[2k + 1] (minus) at
  // genomic position `position` of the last run; `values` holds 2 x selection.size() floats.
  void interleave(const infer::OutputSelection& selection, int64_t position, float* values) const;

 private:
  infer::StrandScanner scanner_;
  torch::Tensor outputs_;  // [outputs, end - begin], genome order
  int64_t begin_ = 0;
};

}  // namespace seqdl::predict
