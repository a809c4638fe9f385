#include "interpret/sequence_batches.hpp"

#include <fmt/format.h>

#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {

void InputCounts::log() const {
  if (cropped) log::info("{} longer sequences were centre-cropped to the window", with_commas(cropped));
  if (skipped) log::warn("{} sequences shorter than the window were skipped ({})", with_commas(skipped), first_skipped);
}

SequenceBatches::SequenceBatches(const data::SourceSpec& spec, int64_t window, int64_t batch)
    : source_(data::open_sequences(spec)), window_(window), batch_(batch) {}

bool SequenceBatches::next(SequenceBatch& out) {
  out.ids.clear();
  out.codes.clear();
  out.loci.clear();
  out.strands.clear();
  out.indices.clear();
  data::NamedSequence s;
  while (static_cast<int64_t>(out.ids.size()) < batch_ && source_->next(s)) {
    ++read_;
    auto n = static_cast<int64_t>(s.seq.size());
    if (n < window_) {
      if (counts_.skipped++ == 0) counts_.first_skipped = fmt::format("'{}' is {} bp", s.id, n);
      continue;
    }
    if (n > window_) ++counts_.cropped;
    const int64_t crop = (n - window_) / 2;
    out.ids.push_back(s.id);
    out.codes.append(s.seq, static_cast<size_t>(crop), static_cast<size_t>(window_));
    io::Region locus = s.locus;
    if (!locus.chrom.empty()) {  // the window's own bases: centre-cropped alike on either strand
      locus.start += s.strand == '-' ? n - window_ - crop : crop;
      locus.end = locus.start + window_;
    }
    out.loci.push_back(std::move(locus));
    out.strands.push_back(s.strand);
    out.indices.push_back(source_->first_index() + read_ - 1);
  }
  return !out.ids.empty();
}

}  // namespace seqdl::interpret
