// Sequences to explain, in batches of the model's window length. Longer sequences are centre-cropped;
// shorter ones cannot be explained base by base without inventing bases, so they are skipped (and counted,
// for the command to report once at the end).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/sequence_source.hpp"

namespace seqdl::interpret {

// The sequences the batches cropped or left out, for the command to report once at the end.
struct InputCounts {
  uint64_t cropped = 0, skipped = 0;
  std::string first_skipped;  // the first skipped sequence, for messages ("'x' is 80 bp")
  void log() const;           // an info line for the cropped, a warning for the skipped
};

struct SequenceBatch {
  std::vector<std::string> ids;
  std::string codes;             // ids.size() windows back to back
  std::vector<io::Region> loci;  // genome regions: each window's genome interval (chrom empty otherwise)
  std::vector<char> strands;     // '-' when a window is the reverse complement of its locus
  std::vector<uint64_t> indices;  // each sequence's 0-based place in the whole input (before --shard and skipping)
  size_t size() const { return ids.size(); }
};

class SequenceBatches {
 public:
  SequenceBatches(const data::SourceSpec& spec, int64_t window, int64_t batch);
  bool next(SequenceBatch& out);  // false when no sequence is left
  const InputCounts& counts() const { return counts_; }
  uint64_t read() const { return read_; }

 private:
  std::unique_ptr<data::SequenceSource> source_;
  int64_t window_, batch_;
  InputCounts counts_;
  uint64_t read_ = 0;
};

}  // namespace seqdl::interpret
