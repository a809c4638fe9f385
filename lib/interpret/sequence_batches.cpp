#include "interpret/sequence_batches.hpp"

#include <fmt/format.h>

namespace seqdl::interpret {

SequenceBatches::SequenceBatches(const data::SourceSpec& spec, int64_t window, int64_t batch)
    : source_(data::open_sequences(spec)), window_(window), batch_(batch) {}

bool SequenceBatches::next(SequenceBatch& out) {
  out.ids.clear();
  out.codes.clear();
  data::NamedSequence s;
  while (static_cast<int64_t>(out.ids.size()) < batch_ && source_->next(s)) {
    ++read_;
    auto n = static_cast<int64_t>(s.seq.size());
    if (n < window_) {
      if (skipped_++ == 0) first_skipped_ = fmt::format("'{}' is {} bp", s.id, n);
      continue;
    }
    if (n > window_) ++cropped_;
    out.ids.push_back(s.id);
    out.codes.append(s.seq, static_cast<size_t>((n - window_) / 2), static_cast<size_t>(window_));
  }
  return !out.ids.empty();
}

}  // namespace seqdl::interpret
