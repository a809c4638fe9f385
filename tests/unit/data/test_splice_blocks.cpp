// Blocks over the hand-written genes of tests/fixtures/splice (see test_splice_sites.cpp for their sites), with
// 30 output positions and 20 bases of context: every input base and label is checked against the genome and the
// whole-chromosome labels, position by position, on both strands.
#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "data/splice_annotation.hpp"
#include "data/splice_blocks.hpp"
#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

SpliceAnnotation load() {
  SpliceOptions o;
  o.annotation = test::fixture("splice/genes.gff3");
  o.genome = test::fixture("splice/genome.fa");
  return load_splice_annotation(o);
}

char complement(char b) {
  switch (b) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return b;
  }
}

}  // namespace

TEST(SpliceBlocks, InputsAndLabelsMatchTheGenomeOnBothStrands) {
  SpliceAnnotation a = load();
  io::IndexedFasta genome(test::fixture("splice/genome.fa"));
  const std::string contig = genome.fetch("chrS", 0, 200);
  const BlockGeometry g{30, 20};
  SpliceBlocks blocks = make_splice_blocks(a.labels, genome, {}, g);
  // Spans [10,99)+ (89 bases: 3 blocks), [50,75)- (1), [100,180)- (80: 3), [184,195)+ (1).
  ASSERT_EQ(blocks.spans().size(), 4u);
  ASSERT_EQ(blocks.size(), 8u);
  EXPECT_EQ(blocks.blocks()[2].first, 60);
  const ChromosomeSites& sites = a.labels.chromosome("chrS");
  std::string input(static_cast<size_t>(g.input()), '?');
  std::vector<int64_t> labels(static_cast<size_t>(g.output));
  int64_t ignored = 0, checked = 0;
  for (size_t b = 0; b < blocks.size(); ++b) {
    const SpliceBlock& block = blocks.blocks()[b];
    const LabelledSpan& span = blocks.spans()[block.span];
    blocks.input(b, input.data());
    blocks.labels(b, labels.data());
    for (int64_t k = 0; k < g.input(); ++k) {
      // Input index k is transcribed index first + k - 10 of the span.
      const int64_t t = block.first + k - g.context / 2;
      const int64_t pos = span.strand == '+' ? span.start + t : span.end - 1 - t;
      char expected = pos < 0 || pos >= 200 ? 'N' : contig[static_cast<size_t>(pos)];
      if (span.strand == '-') expected = complement(expected);
      ASSERT_EQ(input[static_cast<size_t>(k)], expected) << "block " << b << " input " << k << " (genome " << pos << ")";
    }
    for (int64_t j = 0; j < g.output; ++j) {
      const int64_t t = block.first + j;
      if (t >= span.length()) {
        EXPECT_EQ(labels[static_cast<size_t>(j)], kIgnoredLabel);
        ++ignored;
        continue;
      }
      const int64_t pos = blocks.genomic_position(b, j);
      EXPECT_EQ(pos, span.genomic_position(t));
      EXPECT_EQ(labels[static_cast<size_t>(j)], static_cast<int64_t>(sites.at(span.strand, pos))) << b << " " << j;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 89 + 25 + 80 + 11);
  EXPECT_EQ(ignored, 8 * 30 - checked);
  auto counts = blocks.class_counts();
  EXPECT_EQ(counts[1], 6u);
  EXPECT_EQ(counts[2], 6u);
  EXPECT_EQ(counts[0], static_cast<uint64_t>(checked) - 12);
}

TEST(SpliceBlocks, ChromosomesAndSiteFreeSubsampling) {
  SpliceAnnotation a = load();
  io::IndexedFasta genome(test::fixture("splice/genome.fa"));
  SpliceBlocks none = make_splice_blocks(a.labels, genome, {"chrOther"}, {30, 20});
  EXPECT_EQ(none.size(), 0u);
  SpliceBlocks blocks = make_splice_blocks(a.labels, genome, {"chrS"}, {30, 20});
  // Block 5 ('-' span [100,180), transcribed 60..79: genomic 119..100) holds acceptor 119; G3's block has no site.
  std::vector<bool> sites;
  for (const auto& b : blocks.blocks()) sites.push_back(b.has_site);
  EXPECT_EQ(sites, (std::vector<bool>{true, true, true, true, true, true, true, false}));
  SpliceBlocks kept = blocks;
  kept.subsample_site_free(0.0, 1);
  EXPECT_EQ(kept.size(), 7u);
  kept = blocks;
  kept.subsample_site_free(1.0, 1);
  EXPECT_EQ(kept.size(), 8u);
  EXPECT_THROW(make_splice_blocks(a.labels, genome, {}, {30, 21}), UsageError);
  EXPECT_THROW(make_splice_blocks(a.labels, genome, {}, {0, 20}), UsageError);
}

}  // namespace seqdl::data
