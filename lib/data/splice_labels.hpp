// Per-base splice labels for training, evaluation and variant masking: 0 neither, 1 acceptor, 2 donor
// (SiteClass), always in TRANSCRIBED-strand order: index 0 is the 5'-most base of the strand read, so
// on '-' the labels run from the highest genomic position down, matching the reverse-complemented
// sequence a model reads 5'->3'.
//
// Held sparsely: per chromosome, the sorted positions of acceptors and donors on each strand. A base
// that is an acceptor of one transcript and a donor of another on the same strand (a label conflict)
// gets one label by this rule: an annotated site beats an evidence-only one; then the class with more
// transcripts; then more junction reads; a full tie goes to the donor. Conflicts are counted, with the
// first few named.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "data/gene_annotation.hpp"
#include "data/splice_sites.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::data {

// The sites of one chromosome, both strands. Read-only after construction: safe to share across threads.
struct ChromosomeSites {
  std::string chrom;
  std::array<std::vector<int64_t>, 2> acceptors, donors;  // [0] '+', [1] '-': sorted genomic positions

  // The label of one base on one strand ('+' or '-'), O(log n).
  SiteClass at(char strand, int64_t position) const;
  // Dense labels of genomic [start, end) as read on `strand`: labels[i] belongs to base start + i on
  // '+' and to base end - 1 - i on '-'. Positions outside the contig (start < 0, past its end) are 0.
  std::vector<uint8_t> labels(char strand, int64_t start, int64_t end) const;
  size_t size() const;  // sites on both strands
};

// Genes of one strand merged where they overlap (share a base): the region a per-position model is
// trained or evaluated on. Genes on opposite strands are never merged (each strand has its own labels).
struct GeneSpan {
  std::string chrom;
  int64_t start = 0, end = 0;      // 0-based half-open genomic
  char strand = '+';
  std::vector<std::string> genes;  // in position order
  int64_t length() const { return end - start; }
  // Genomic position of transcribed-order index i (start + i on '+', end - 1 - i on '-').
  int64_t genomic_position(int64_t i) const { return strand == '+' ? start + i : end - 1 - i; }
};

struct LabelledSpan : GeneSpan {
  std::vector<uint8_t> labels;  // length() values, transcribed-strand order (see GeneSpan::genomic_position)
};

struct LabelConflicts {
  uint64_t count = 0;
  std::vector<std::string> examples;  // "I:1,235 +: acceptor (T1) and donor (T2): labelled donor"
};

class SpliceLabels {
 public:
  SpliceLabels() = default;
  // genes: the spans' genes; sites: every site to label (sorted or not). Evidence-only sites inside a
  // gene span are labelled like annotated ones; outside genes they appear only in chromosome().
  SpliceLabels(const std::vector<Gene>& genes, const std::vector<SpliceSite>& sites);

  // Gene spans of the chromosomes named (all when empty), sorted by chrom, start, strand. Without
  // labels (cheap); labels_of() fills one, labelled_spans() all.
  std::vector<GeneSpan> gene_spans(const std::vector<std::string>& chroms = {}) const;
  std::vector<uint8_t> labels_of(const GeneSpan& span) const;
  std::vector<LabelledSpan> labelled_spans(const std::vector<std::string>& chroms = {}) const;

  // Whole-chromosome labels, both strands; an empty ChromosomeSites for a contig without sites.
  const ChromosomeSites& chromosome(const std::string& chrom) const;
  // SiteClass of one base (neither when there is none): the Pangolin-style masking lookup.
  SiteClass at(const std::string& chrom, char strand, int64_t position) const;
  // Gene spans of either strand that share a base with genomic [start, end), sorted by start then strand
  // (which strand(s) a variant there is read on, as SpliceAI scores variants on their gene's strand).
  std::vector<GeneSpan> spans_overlapping(const std::string& chrom, int64_t start, int64_t end) const;

  std::vector<std::string> chromosomes() const;  // with a gene or a site, sorted
  const LabelConflicts& conflicts() const { return conflicts_; }

 private:
  std::map<std::string, ChromosomeSites> sites_;
  std::vector<GeneSpan> spans_;  // every chromosome
  // Per chromosome and strand, indices into spans_ sorted by start; the spans of one strand never overlap.
  std::map<std::string, std::array<std::vector<size_t>, 2>> span_index_;
  LabelConflicts conflicts_;
};

// The bases of genomic [start, end) as read 5'->3' on `strand` (reverse complement on '-'), N beyond the
// contig's ends: index i matches index i of ChromosomeSites::labels(strand, start, end) and of a span's
// labels (transcribed_sequence(genome, span.chrom, span.strand, span.start, span.end)). Throws
// InputError for a contig the genome lacks.
std::string transcribed_sequence(const io::IndexedFasta& genome, const std::string& chrom, char strand, int64_t start,
                                 int64_t end);

// Overlapping genes of one strand merged into spans (exposed for tests); genes need not be sorted.
std::vector<GeneSpan> merge_gene_spans(const std::vector<Gene>& genes);

}  // namespace seqdl::data
