// What `seqdl variants --annotation` writes, torch-free: per allele the delta scores on each gene it lies in
// (splice_scores.hpp), as TSV (one row per allele and gene; an allele in no gene, or skipped, gets one row with NA),
// or the input VCF with a SpliceAI-style INFO field, PREFIX + "SPLICE" (Number=.: one entry per allele and gene,
// ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL), and PREFIX + "STATUS" per ALT.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "variants/effect_writers.hpp"
#include "variants/splice_scores.hpp"

namespace seqdl::variants {

struct GeneDeltas {
  std::string gene;
  char strand = '+';
  SpliceDeltas deltas;
};

struct SpliceAlleleResult {
  io::VariantAllele allele;
  Skip skip = Skip::none;
  bool no_gene = false;       // in no gene of the annotation: not scored (as SpliceAI)
  bool padded = false;
  bool ref_mismatch = false;
  std::vector<GeneDeltas> genes;  // scored alleles: one per gene, in position order

  bool scored() const { return skip == Skip::none && !no_gene; }
  // ok, padded, ref_mismatch, padded+ref_mismatch, no_gene, or skipped_<reason>.
  std::string status() const;
};

class SpliceEffectWriter {
 public:
  virtual ~SpliceEffectWriter() = default;
  virtual void add(const SpliceAlleleResult& result) = 0;  // every allele, in VCF order
  virtual std::vector<std::string> finish() = 0;
  virtual std::string index_problem() const { return ""; }
};

// options.description: appended to the INFO descriptions (the model, distance, masking).
std::unique_ptr<SpliceEffectWriter> open_splice_writer(const WriterOptions& options);

}  // namespace seqdl::variants
