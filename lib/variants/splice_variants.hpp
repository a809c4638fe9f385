// `seqdl variants --annotation`: SpliceAI's delta scores of each VCF allele with a per-position splice model, on
// the strand of every gene the allele lies in (REF and ALT windows reverse-complemented for '-' genes, outputs flipped
// back), optionally with Pangolin's masking, written as TSV or as a SpliceAI-style INFO field (splice_effects.hpp).
// Alleles in no gene are not scored (status no_gene), as SpliceAI leaves them.
//
// Windows: a seqdl network that is local from end to end (SpliceAI's towers) runs on windows of its context plus
// 2 x distance + 1 bases, the outputs the deltas read (as SpliceAI's own command does); a TorchScript model runs on
// its full input length. The variant's first base is at index window / 2 in both windows (allele_windows.hpp).
#pragma once

#include "variants/variants.hpp"

namespace seqdl::variants {

// UsageError for options that do not apply (--rc, --task, --logits) or a --distance past a TorchScript model's
// outputs; ModelError for a model without per-position, centred acceptor and donor outputs; InputError/FormatError
// for bad files. No output is left behind then.
VariantsSummary run_splice_variants(const VariantsOptions& options);

}  // namespace seqdl::variants
