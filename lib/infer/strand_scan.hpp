// Per-base model outputs along one strand of a contig: what splice evaluation (every base of genes or whole
// chromosomes) and stranded prediction tracks read.
//
// S is the contig read on `strand`: the contig itself on '+', its reverse complement on '-' (S position r is then
// genomic position length - 1 - r, so S order is transcribed-strand order, as data/splice_labels.hpp orders labels).
// Bases [begin, end) of S are covered by windows of the model's input length W that advance by P bases and describe
// P consecutive bases starting `site` bases into the window: for a per-position model P is its output length and
// `site` its output offset; for a per-window model P = 1 and `site` is the base each window scores (default W / 2,
// as variants centre their windows). Windows running off the contig are N-padded.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "encode/one_hot.hpp"
#include "infer/window_runner.hpp"
#include "io/indexed_fasta.hpp"
#include "nn/model.hpp"

namespace seqdl::infer {

// Refers to the model and table (both must outlive it); one thread at a time, like the model.
class StrandScanner {
 public:
  // site: per-window models only, the window index of the scored base (-1: W / 2). UsageError for a site outside the
  // window, or one given for a per-position model. allow_shared = false: window by window (see WindowRunner).
  StrandScanner(nn::Model& model, const encode::OneHotTable& table, int64_t batch, int64_t site = -1,
                bool logits = false, bool allow_shared = true);

  // Probabilities (the model's rule; logits when asked) of every output of the first head for S bases [begin, end):
  // [outputs, end - begin] float32, S order. InputError for a contig the genome lacks. Runs under InferenceMode;
  // memory is bounded by running the windows in chunks.
  torch::Tensor scan(const io::IndexedFasta& genome, const std::string& chrom, char strand, int64_t begin, int64_t end);

  const WindowGeometry& geometry() const { return g_; }
  const std::string& description() const { return runner_.description(); }

 private:
  WindowGeometry g_;
  int64_t outputs_;
  WindowRunner runner_;
};

// The window geometry StrandScanner uses for a model (exposed for tests).
WindowGeometry strand_scan_geometry(const nn::ModelInfo& info, int64_t site);

}  // namespace seqdl::infer
