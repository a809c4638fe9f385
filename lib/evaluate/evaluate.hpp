// `seqdl evaluate`: a model plus labelled sequences (any form `seqdl train` reads, including the splits it
// writes), or a score table plus a label table, to the metric set (metric_set.hpp) as TSV or JSON, the
// curve points and an HTML report. Torch-free: the model is run by a ModelScorer (evaluate_model.hpp), which the
// LibTorch half of seqdl passes in; score tables never load LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/labelled_sources.hpp"
#include "data/splice_annotation.hpp"
#include "evaluate/metric_set.hpp"
#include "evaluate/profile_options.hpp"
#include "evaluate/score_tables.hpp"
#include "nn/model_info.hpp"

namespace seqdl::evaluate {

struct EvaluateOptions {
  // A model and labelled data ...
  std::string model;
  nn::ModelOverrides overrides;         // --window, --task-type, --unknown; --task-names also names score columns
  int64_t batch = 256;                  // as `seqdl train` validates
  data::LabelledSpec data;
  // ... or a per-position (or per-window) model over the genes of an annotation (splice_evaluate.hpp): splice sites.
  data::SpliceOptions splice;                 // the genome is data.genome
  std::vector<std::string> chroms;            // chromosomes to evaluate (default: every one with a gene)
  bool whole_chromosomes = false;             // also every base of them, both strands
  std::string acceptor_output, donor_output;  // the model's outputs (default: those named acceptor and donor)
  int64_t site_index = -1;                    // per-window models: the window index of the scored base (-1: W / 2)
  ProfileEvaluateOptions profile;       // ... or a profile / coverage-track model on read coverage (--coverage)
  // ... or a score table and a label table.
  ScoreTableSpec tables;
  bool logits = false;  // the scores are logits: sigmoid (softmax for multi-class) before the metrics

  MetricOptions metrics;
  std::string output = "-";  // the metrics table, or JSON with `json`
  bool json = false;
  std::string curves;  // folder for pr.tsv, roc.tsv, reliability.tsv (confusion.tsv)
  std::string report;  // HTML page
  int threads = 1;
  uint64_t seed = 0;
};

struct EvaluateSummary {
  Evaluation evaluation;
  nlohmann::json profile;  // --coverage: the profile or track figures (as in the JSON output); null otherwise
  uint64_t samples = 0;
  double seconds_reading = 0, seconds_scoring = 0, seconds_metrics = 0, seconds_writing = 0;
};

// A model's scores on the labelled data of the options, with what the outputs record about the inputs.
struct ModelScores {
  ScoredSet set;
  nlohmann::json inputs;                                        // the JSON output's "inputs"
  std::vector<std::pair<std::string, std::string>> report_inputs;  // the report's input rows
  double seconds_reading = 0, seconds_scoring = 0;
};
using ModelScorer = ModelScores (*)(const EvaluateOptions& options);

// Throws UsageError for contradictory options, InputError/FormatError for bad input; nothing is written then.
// `scorer` runs the model when options.model is set (UsageError if it is null then).
EvaluateSummary run_evaluate(const EvaluateOptions& options, ModelScorer scorer = nullptr);

// The table options a split written by `seqdl train --save-splits` needs, filled in where not given: the
// sequence column `sequence` (else `seq`), the ids from `id`, and the labels from the columns named after
// the model's tasks, or `class` for a multi-class model.
void complete_table_spec(data::LabelledSpec& spec, const std::vector<std::string>& model_tasks, bool multiclass);

}  // namespace seqdl::evaluate
