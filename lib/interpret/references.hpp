// The references (baselines) that integrated gradients and DeepLIFT/DeepSHAP compare each input with: all-zero or
// uniform (0.25 per base) columns, dinucleotide-shuffled copies of each sequence (seeded per sequence, so a run is
// reproducible and a sequence's references do not depend on its batch), or given in a file:
//   .npy [n, R, 4, L] (R references for each of the n sequences, in input order) or [R, 4, L] (shared by all);
//   FASTA, whose records (fitted to L like inputs: centre-cropped or N-padded) are R references shared by all.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>

#include "encode/one_hot.hpp"
#include "interpret/saliency.hpp"
#include "interpret/sequence_batches.hpp"

namespace seqdl::io {
class NpyArray;
}

namespace seqdl::interpret {

// One thread; the file (if any) is read as the batches come.
class References {
 public:
  // UsageError for a file of the wrong shape (naming the shape expected), InputError/FormatError for an unreadable
  // one. `references` is R for shuffles (zeros and uniform have one).
  References(const SaliencyOptions& options, int64_t length, const encode::OneHotTable& table);
  ~References();

  int64_t count() const { return count_; }  // R
  // [B, R, 4, L] for a batch. Per-sequence references (shuffles, the rows of an [n, R, 4, L] file) follow each
  // sequence's place in the whole input (batch.indices), so batch size and --shard do not change them.
  // UsageError when a file holds fewer sequences than the input.
  torch::Tensor for_batch(const SequenceBatch& batch);

 private:
  Baseline kind_;
  int64_t count_ = 1, length_ = 0;
  uint64_t seed_ = 0;
  const encode::OneHotTable& table_;
  std::unique_ptr<io::NpyArray> npy_;
  torch::Tensor shared_;  // [R, 4, L] references used for every sequence
};

}  // namespace seqdl::interpret
