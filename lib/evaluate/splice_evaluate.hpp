// `seqdl evaluate --annotation`: a splice model over the genes of held-out chromosomes, as SpliceAI is evaluated.
// Every base of every gene span (its transcribed strand) is scored for acceptor and donor; per class: AUPRC, AUROC,
// SpliceAI's top-k accuracy (k = the number of true sites) and the prevalence. With whole_chromosomes, the same over
// every base of those chromosomes on both strands (labels from the annotation's sites; most bases are intergenic).
//
// Torch-free: the model is run by a SpliceScorer (splice_scoring.hpp), which the LibTorch half of seqdl passes in.
// Memory: gene scores are held exactly (9 bytes per gene base, evaluate/site_scores.hpp); whole chromosomes are
// counted in score bins (about 17 MB per class whatever their length).
#pragma once

#include <string>
#include <vector>

#include "data/splice_annotation.hpp"
#include "evaluate/evaluate.hpp"
#include "evaluate/site_scores.hpp"

namespace seqdl::evaluate {

// What the scorer is asked to score.
struct SpliceScoringRequest {
  const data::SpliceAnnotation& annotation;
  std::vector<std::string> chroms;  // checked: each has a gene
  SiteScores& genes;
  SiteScores* whole = nullptr;      // set with --whole-chromosomes
};

// What it did.
struct SpliceScoring {
  bool acceptor = false, donor = false;  // the classes the model scores
  std::string model_description;         // for the log and the JSON inputs
  uint64_t spans = 0, gene_bases = 0, chromosome_bases = 0;
  double seconds = 0;
};
using SpliceScorer = SpliceScoring (*)(const EvaluateOptions& options, const SpliceScoringRequest& request);

// Throws UsageError for options that do not apply (labelled sequences, score tables, curves, reports, bootstrap) or
// chromosomes without genes; InputError/FormatError for bad files; ModelError for a model without acceptor or donor
// outputs. Nothing is written then. The summary's evaluation holds the gene metrics as two tasks.
EvaluateSummary run_splice_evaluate(const EvaluateOptions& options, SpliceScorer scorer);

}  // namespace seqdl::evaluate
