// Scores from any tool joined with labels by id: `seqdl evaluate --scores scores.tsv --labels labels.tsv`.
// Both are delimited tables with a header (TSV, or CSV for .csv names; gzip is fine; "-" is stdin for one
// of them) and an id column.
//
//   scores: the `score` column, else every column but the id (one task or class each); --score-columns
//           chooses. `seqdl motifs scan --per-sequence-max` output (id, score, p_value, ...) reads as it is.
//   labels: the `label` column, else `class`, else every column but the id; --label-columns chooses.
//           0/1 labels, one column per task; or, for multi-class, one column of class names that name the
//           score columns (one-vs-rest).
//
// How the columns pair up:
//   1 score column, 1 label column           binary (0/1)
//   k > 1 score columns, 1 label column       multi-class: each label names a score column
//   k score columns, k label columns          multi-label: paired by name (by position when both lists
//                                             were given explicitly)
//
// Rows are streamed: while both files list the same ids in the same order they are paired line by line
// (no id is kept in memory, so ten million rows take a second or two); from the first row where the ids
// differ the rest of the label file is indexed by id and the remaining scores are looked up in it. Every
// id must have exactly one score row and one label row.
#pragma once

#include <string>
#include <vector>

#include "evaluate/scored_set.hpp"

namespace seqdl::evaluate {

struct ScoreTableSpec {
  std::string scores, labels;
  std::string id_column = "id";
  std::vector<std::string> score_columns;  // default: `score`, else every column but the id
  std::vector<std::string> label_columns;  // default: `label`, else `class`, else every column but the id
  std::vector<std::string> task_names;     // rename the tasks (or classes) in the outputs
};

struct ScoreTableStats {
  uint64_t in_order = 0;  // rows paired line by line
  uint64_t by_id = 0;     // rows paired through the id index
};

// InputError / FormatError naming the file and line for a missing column, a score that is not a finite
// number (NaN, inf, text), a label that is not 0/1 or not one of the classes, an id without a partner,
// an id listed twice, a row with the wrong number of fields, or an empty file.
ScoredSet read_scores_and_labels(const ScoreTableSpec& spec, ScoreTableStats* stats = nullptr);

}  // namespace seqdl::evaluate
