// `seqdl motifs compare`: query motifs against a motif database, ranked the way Tomtom ranks them (Gupta,
// Stamatoyannopoulos, Bailey & Noble 2007, "Quantifying similarity between motifs", Genome Biology 8:R24; written
// from the paper's description) or by the older mean-similarity method.
//
// Alignments (both methods): the query slides along the target and along the target's reverse complement
// (orientation '-') at every offset where at least need = min(min_overlap, query width, target width) columns
// overlap: n = 2 (w_query + w_target - 2 need + 1) alignments. The offset is the target column that the query's
// first column lies on (negative: the query starts before the target). Column similarity s(a, b):
//   pearson   Pearson correlation of the two columns' four probabilities (0 when either is uniform); in [-1, 1]
//   euclidean 1 - |a - b| / sqrt(2), an increasing affine map of Tomtom's -|a - b| (the same ranks and, the
//             discretisation below being affine-invariant, the same p-values); in [0, 1]
//   sandelin  2 - |a - b|^2 (Sandelin & Wasserman 2004); in [0, 2]
// An alignment's score is the SUM of s over its overlapping columns; its similarity is score / overlap.
//
// method tomtom (the default):
//   Null: query column i meets a column drawn uniformly from the N columns of all database motifs and of their
//   reverse complements; its score distribution is the empirical one of s(q_i, c) over those N columns. The scores
//   of one query are put on one integer grid, level(s) = floor((s - lo) / (hi - lo) * bins + 0.5), lo and hi the
//   least and greatest s(q_i, c) over all i and c (so 0 <= level <= bins). An alignment covering query columns
//   [f, l) whose levels total L has
//     p_align = P(X_f + ... + X_{l-1} >= L),   X_i independent, each distributed as query column i's levels,
//   computed exactly for the grid by convolving the column distributions (dynamic programming).
//   A pair's best alignment is the one of smallest p_align (p-values within 1e-9 relative count as tied; ties:
//   larger score, larger overlap, '+', smaller offset), and its p-value corrects that minimum for the n
//   alignments tried: p = 1 - (1 - min p_align)^n.
// method mean_shuffle:
//   The best alignment has the largest similarity (ties: larger overlap, '+', smaller offset). Every database
//   motif is shuffled `shuffles` times (columns permuted; seeded) and the query's best similarities to the
//   shuffled motifs form the null: p = (1 + #null >= observed) / (1 + #null), never below 1 / (1 + #null).
// Both: E-value = p x database size; q-value = Benjamini-Hochberg over the database's p-values for that query,
// q_(k) = min over j >= k of p_(j) N / j. Matches are ordered by p-value, then score, then database order.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "motif/motif.hpp"
#include "util/choices.hpp"

namespace seqdl::motif {

enum class ColumnSimilarity { pearson, euclidean, sandelin };
inline constexpr Choices<ColumnSimilarity, 3> kColumnSimilarityChoices{{{"pearson", ColumnSimilarity::pearson},
                                                                        {"euclidean", ColumnSimilarity::euclidean},
                                                                        {"sandelin", ColumnSimilarity::sandelin}}};

enum class CompareMethod { tomtom, mean_shuffle };
inline constexpr Choices<CompareMethod, 2> kCompareMethodChoices{
    {{"tomtom", CompareMethod::tomtom}, {"mean-shuffle", CompareMethod::mean_shuffle}}};

struct CompareSettings {
  CompareMethod method = CompareMethod::tomtom;
  ColumnSimilarity similarity = ColumnSimilarity::pearson;
  int min_overlap = 5;
  int bins = 100;      // tomtom: levels of one column's score (the grid of the null)
  int shuffles = 10;   // mean_shuffle: column-shuffled copies of each database motif in the null
  uint64_t seed = 0;   // mean_shuffle: seeds the shuffles
};

struct Alignment {
  double score = -std::numeric_limits<double>::infinity();       // sum of column similarities
  double similarity = -std::numeric_limits<double>::infinity();  // score / overlap
  int offset = 0;
  int overlap = 0;
  bool reverse = false;  // the target was reverse-complemented
  int level = 0;         // tomtom: the score on the grid (sum of column levels)
  double pvalue = 1;     // tomtom: p_align, before the correction for the alignments tried
};

// The alignment of `query` against `target` with the largest similarity (mean_shuffle's choice; settings.method
// is not consulted), over offsets and both orientations. Empty motifs give Alignment{}.
Alignment best_alignment(const Motif& query, const Motif& target, const CompareSettings& settings);

struct Match {
  size_t target = 0;  // index into the database
  Alignment alignment;
  double pvalue = 1, evalue = 0, qvalue = 1;
  int alignments = 0;  // alignments tried (n)
};

// Holds the database prepared for one method. compare() may run concurrently from several threads.
class MotifComparer {
 public:
  // UsageError naming the option for min_overlap < 1, bins outside [1, 10000] or shuffles < 1.
  MotifComparer(std::vector<Motif> database, CompareSettings settings);

  const std::vector<Motif>& database() const { return database_; }
  const CompareSettings& settings() const { return settings_; }
  // The null's size: tomtom, the database columns of both strands; mean_shuffle, the shuffled motifs.
  size_t null_size() const;

  // Every database motif scored against the query, best first (a query of width 0 matches nothing: p = 1).
  std::vector<Match> compare(const Motif& query) const;

 private:
  // Columns prepared for the similarity (compare_columns.hpp): [0] the motif, [1] its reverse complement.
  using Prepared = std::array<std::vector<Column>, 2>;
  std::vector<Match> compare_tomtom(const std::vector<Column>& query) const;
  std::vector<Match> compare_mean_shuffle(const std::vector<Column>& query) const;

  std::vector<Motif> database_;
  CompareSettings settings_;
  std::vector<Prepared> targets_, null_targets_;  // the database, and (mean_shuffle) its shuffled motifs
  std::vector<Column> columns_;                   // tomtom: every target column, target by target, '+' then '-'
  std::vector<size_t> first_column_;              // tomtom: where target d's '+' columns start in columns_
};

// Benjamini-Hochberg q-values of `pvalues` (any order; the result is in the same order).
std::vector<double> benjamini_hochberg(const std::vector<double>& pvalues);

struct CompareOptions {
  std::string queries;               // motif file
  std::vector<std::string> query_ids;
  std::string database;              // motif file
  std::string output = "-";
  int top = 5;                       // matches per query
  double max_evalue = std::numeric_limits<double>::infinity();
  CompareSettings settings;
};

struct CompareSummary {
  size_t queries = 0, database = 0, null_size = 0, rows = 0;
};

// Writes TSV: query_id query_name target_id target_name orientation offset overlap similarity score p_value e_value
// q_value query_consensus target_consensus (the target's consensus in the aligned orientation).
CompareSummary run_compare(const CompareOptions& options);

}  // namespace seqdl::motif
