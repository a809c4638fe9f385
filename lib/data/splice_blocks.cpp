#include "data/splice_blocks.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::data {
namespace {

int64_t block_count(int64_t length, int64_t output) { return (length + output - 1) / output; }

}  // namespace

SpliceBlocks::SpliceBlocks(std::vector<LabelledSpan> spans, std::vector<std::string> bases, BlockGeometry geometry)
    : geometry_(geometry), spans_(std::move(spans)), bases_(std::move(bases)) {
  const int64_t P = geometry_.output;
  for (size_t s = 0; s < spans_.size(); ++s) {
    const auto& labels = spans_[s].labels;
    const auto n = static_cast<int64_t>(labels.size());
    for (int64_t first = 0; first < n; first += P) {
      auto begin = labels.begin() + first, end = labels.begin() + std::min(n, first + P);
      bool site = std::any_of(begin, end, [](uint8_t v) { return v != 0; });
      blocks_.push_back({static_cast<uint32_t>(s), first, site});
    }
  }
}

void SpliceBlocks::input(size_t block, char* out) const {
  const SpliceBlock& b = blocks_[block];
  std::copy_n(bases_[b.span].data() + b.first, geometry_.input(), out);
}

void SpliceBlocks::labels(size_t block, int64_t* out) const {
  const SpliceBlock& b = blocks_[block];
  const auto& labels = spans_[b.span].labels;
  const auto n = static_cast<int64_t>(labels.size());
  for (int64_t j = 0; j < geometry_.output; ++j) {
    const int64_t i = b.first + j;
    out[j] = i < n ? static_cast<int64_t>(labels[static_cast<size_t>(i)]) : int64_t{kIgnoredLabel};
  }
}

int64_t SpliceBlocks::genomic_position(size_t block, int64_t j) const {
  const SpliceBlock& b = blocks_[block];
  return spans_[b.span].genomic_position(b.first + j);
}

void SpliceBlocks::subsample_site_free(double fraction, uint64_t seed) {
  if (fraction >= 1.0) return;
  Rng rng(seed, 3100);  // a stream of its own: the blocks kept do not depend on other draws
  std::vector<SpliceBlock> kept;
  for (const SpliceBlock& b : blocks_) {
    // One draw per block whether or not it is used, so that the blocks kept depend on the seed only.
    const double u = rng.uniform();
    if (b.has_site || u < fraction) kept.push_back(b);
  }
  blocks_ = std::move(kept);
}

std::array<uint64_t, 3> SpliceBlocks::class_counts() const {
  std::array<uint64_t, 3> counts{};
  for (const SpliceBlock& b : blocks_) {
    const auto& labels = spans_[b.span].labels;
    const auto end = std::min<size_t>(labels.size(), static_cast<size_t>(b.first + geometry_.output));
    for (size_t i = static_cast<size_t>(b.first); i < end; ++i) ++counts[std::min<size_t>(labels[i], 2)];
  }
  return counts;
}

SpliceBlocks make_splice_blocks(const SpliceLabels& labels, const io::IndexedFasta& genome,
                                const std::vector<std::string>& chroms, BlockGeometry g) {
  return make_splice_blocks(labels.labelled_spans(chroms), genome, g);
}

SpliceBlocks make_splice_blocks(std::vector<LabelledSpan> spans, const io::IndexedFasta& genome, BlockGeometry g) {
  if (g.output < 1) throw UsageError("splice blocks need at least one output position");
  if (g.context < 0 || g.context % 2 != 0) {
    throw UsageError("splice blocks: the context ({} bases) must be even, half on each side", g.context);
  }
  std::vector<std::string> bases;
  bases.reserve(spans.size());
  const int64_t half = g.context / 2;
  for (const LabelledSpan& s : spans) {
    // Transcribed indices [-half, blocks * output + half): on '+' genomic [start - half, start + covered + half),
    // on '-' genomic [end - covered - half, end + half) read reverse-complemented.
    const int64_t covered = block_count(s.length(), g.output) * g.output;
    const int64_t start = s.strand == '+' ? s.start - half : s.end - covered - half;
    bases.push_back(transcribed_sequence(genome, s.chrom, s.strand, start, start + covered + g.context));
  }
  return SpliceBlocks(std::move(spans), std::move(bases), g);
}

}  // namespace seqdl::data
