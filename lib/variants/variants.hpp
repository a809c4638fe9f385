// `seqdl variants`: the effect of each VCF allele on a model's outputs, from the REF and ALT windows around it
// (allele_windows.hpp has the window rule). Torch-free interface; the engine is in variants.cpp.
//
// Per-window models: per task the output on the REF window, on the ALT window, ALT - REF, and (probabilities)
// log2((ALT + 1e-6) / (REF + 1e-6)). Per-position models: SpliceAI's delta scores per task (the largest gain
// and loss within --distance of the variant and where they are). Alleles that cannot be scored (symbolic ALT,
// a contig the genome lacks, REF past the contig end or different from the genome) are warned about per record,
// counted, and written with a status instead of scores.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/splice_annotation.hpp"
#include "infer/window_geometry.hpp"
#include "nn/model_info.hpp"
#include "util/choices.hpp"
#include "variants/effect_writers.hpp"

namespace seqdl::variants {

enum class RefMismatch { skip, error, score };
inline constexpr Choices<RefMismatch, 3> kRefMismatchChoices{
    {{"skip", RefMismatch::skip}, {"error", RefMismatch::error}, {"score", RefMismatch::score}}};
using infer::Strands;

struct VariantsOptions {
  std::string model;
  nn::ModelOverrides overrides;         // --window, --task-names, --task-type, --unknown

  std::string genome;
  std::string vcf;                      // VCF or BCF, plain or bgzip ("-": stdin, TSV output only)
  RefMismatch ref_mismatch = RefMismatch::skip;
  std::vector<std::string> regions;     // only records inside these (BED files or region strings); all if empty
  std::string shard;                    // "K/N": only records in the K-th of N equal parts of the genome
  Strands strands = Strands::none;
  bool logits = false;
  std::vector<std::string> tasks;       // by name or index; default all
  int64_t distance = 50;                // per-position models: bases either side of the variant
  int64_t batch = 256;                  // windows per model call
  bool whole_windows = false;           // SNVs too as whole windows (not by local recomputation)

  std::string output;                   // "-" for stdout
  std::optional<EffectFormat> format;   // default from the output's name
  std::string info_prefix = "SEQDL_";

  // Splice models with a gene annotation (splice_variants.hpp): SpliceAI's delta scores on the strand of each gene
  // an allele lies in, written as a SpliceAI-style PREFIX + "SPLICE" INFO field. The genome is `genome`.
  data::SpliceOptions splice;
  bool mask = false;  // Pangolin's masking: only losses of annotated sites and gains of unannotated ones
};

struct VariantsSummary {
  uint64_t records = 0;                 // VCF records read
  uint64_t alleles = 0;                 // ALT alleles (multi-allelic records split) selected by --regions/--shard
  uint64_t outside = 0;                 // ALT alleles left out by --regions/--shard
  std::string selection;                // --regions/--shard for the log ("" when every record is scored)
  uint64_t scored = 0;
  uint64_t padded = 0;                  // scored alleles whose windows ran off a contig end
  uint64_t ref_mismatch_scored = 0;     // scored although REF differs from the genome (--ref-mismatch score)
  std::map<Skip, uint64_t> skipped;     // by reason
  uint64_t windows = 0;                 // model inputs (REF windows are shared by a record's alleles)
  double seconds = 0;
  std::string engine;                   // a line for the log: model, windows, strands
  std::vector<std::string> outputs;
  std::string index_problem;            // set when a VCF.gz could not be indexed

  uint64_t skipped_total() const;
  std::string skipped_text() const;     // "3 symbolic ALT, 1 REF mismatch" (empty when none)
};

// Streams the VCF: memory is bounded by the batch (--batch windows for indels, and SNVs up to a 96 MiB budget of
// activations) and does not grow with the VCF's size; see docs/variants.md for the bound.
// UsageError for contradictory options, InputError/FormatError for bad input, ModelError for a model that does
// not fit; no output is left behind then.
VariantsSummary run_variants(const VariantsOptions& options);

}  // namespace seqdl::variants
