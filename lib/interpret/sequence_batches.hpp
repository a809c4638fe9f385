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

struct SequenceBatch {
  std::vector<std::string> ids;
  std::string codes;  // ids.size() windows back to back
  size_t size() const { return ids.size(); }
};

class SequenceBatches {
 public:
  SequenceBatches(const data::SourceSpec& spec, int64_t window, int64_t batch);
  bool next(SequenceBatch& out);  // false when no sequence is left
  uint64_t cropped() const { return cropped_; }
  uint64_t skipped() const { return skipped_; }
  uint64_t read() const { return read_; }
  // The first skipped sequence, for messages ("'x' is 80 bp").
  const std::string& first_skipped() const { return first_skipped_; }

 private:
  std::unique_ptr<data::SequenceSource> source_;
  int64_t window_, batch_;
  uint64_t cropped_ = 0, skipped_ = 0, read_ = 0;
  std::string first_skipped_;
};

}  // namespace seqdl::interpret
