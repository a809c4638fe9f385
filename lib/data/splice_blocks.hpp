// What a per-position splice model (SpliceAI) trains and is evaluated on: gene spans cut into blocks. Each block is
// `output` consecutive bases of a span in transcribed-strand order, the bases whose labels the model predicts,
// with `context / 2` bases of real genomic flank on each side (N only beyond a contig end), so a block's input is
// output + context bases. The last block of a span runs past the span's end: its input continues into the genome
// and its labels there are kIgnoredLabel (they count in no loss and no metric). Torch-free.
//
//   data::BlockGeometry g{5000, 80};                               // spliceai80 at its default 5,080-bp input
//   data::SpliceBlocks blocks = data::make_splice_blocks(labels, genome, {"I", "II"}, g);
//   blocks.input(b, buffer);   // 5,080 base codes (the model's input)
//   blocks.labels(b, out);     // 5,000 labels: 0 neither, 1 acceptor, 2 donor, -1 ignored
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "data/splice_labels.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::data {

inline constexpr int8_t kIgnoredLabel = -1;

struct BlockGeometry {
  int64_t output = 0;   // bases labelled per block (the model's output positions)
  int64_t context = 0;  // input bases beyond them, half on each side (even)
  int64_t input() const { return output + context; }
};

struct SpliceBlock {
  uint32_t span = 0;  // index into SpliceBlocks::spans()
  int64_t first = 0;  // transcribed index (within the span) of the block's first output position
  bool has_site = false;
};

// Read-only after construction: share it across threads freely. Memory: one byte per base of every span (plus
// up to output + context bases per span for the last block's flank) and one per label.
class SpliceBlocks {
 public:
  SpliceBlocks() = default;
  SpliceBlocks(std::vector<LabelledSpan> spans, std::vector<std::string> bases, BlockGeometry geometry);

  const BlockGeometry& geometry() const { return geometry_; }
  const std::vector<LabelledSpan>& spans() const { return spans_; }
  const std::vector<SpliceBlock>& blocks() const { return blocks_; }
  size_t size() const { return blocks_.size(); }

  // The block's input bases (geometry().input() of them) into `out`.
  void input(size_t block, char* out) const;
  // The block's labels (geometry().output() of them): SiteClass values, kIgnoredLabel past the span's end.
  void labels(size_t block, int64_t* out) const;
  // Genomic position of output position j of a block (reads the span's strand).
  int64_t genomic_position(size_t block, int64_t j) const;

  // Keeps every block with a site and each block without one with probability `fraction` (seeded: the same
  // seed keeps the same blocks). fraction 1 keeps them all.
  void subsample_site_free(double fraction, uint64_t seed);

  // Labelled positions (not ignored) per class [neither, acceptor, donor] over the kept blocks.
  std::array<uint64_t, 3> class_counts() const;

 private:
  BlockGeometry geometry_;
  std::vector<LabelledSpan> spans_;
  std::vector<std::string> bases_;  // per span: transcribed indices [-context/2, blocks * output + context/2)
  std::vector<SpliceBlock> blocks_;
};

// The blocks of every gene span on `chroms` (all chromosomes when empty), spans in SpliceLabels order. The bases
// come from `genome` (InputError for a contig it lacks); UsageError for a geometry without outputs or with an odd
// context.
SpliceBlocks make_splice_blocks(const SpliceLabels& labels, const io::IndexedFasta& genome,
                                const std::vector<std::string>& chroms, BlockGeometry geometry);
// The same from chosen spans (a split of them).
SpliceBlocks make_splice_blocks(std::vector<LabelledSpan> spans, const io::IndexedFasta& genome, BlockGeometry geometry);

}  // namespace seqdl::data
