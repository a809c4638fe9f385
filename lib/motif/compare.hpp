// `seqdl motifs compare`: Tomtom-like comparison of query motifs against a motif database.
//
// Alignment: the query slides along the target (and along the target's reverse complement, orientation
// '-') at every offset where at least min(min_overlap, query width, target width) columns overlap. The
// offset is the target column that the query's first column lies on (negative: the query starts before
// the target). An alignment's similarity is the MEAN column similarity over the overlapping columns:
//   pearson   (default) Pearson correlation of the two columns' four probabilities (0 when either column
//             is uniform, where it is undefined); in [-1, 1].
//   euclidean 1 - |a - b| / sqrt(2), where sqrt(2) is the largest distance between two probability
//             columns; in [0, 1].
// A pair's score is its best alignment (ties: the larger overlap, then '+', then the smaller offset).
//
// Significance: every database motif is shuffled `shuffles` times (its columns permuted; seeded, so
// p-values are reproducible) and each query is scored against every shuffled motif the same way, which
// makes a null of shuffles x database-size best-alignment scores for that query. Then
//   p-value = (1 + #null scores >= observed) / (1 + #null)     (never 0; the floor is 1 / (1 + #null))
//   E-value = p-value x database size
// Matches are ordered by p-value, then similarity.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "motif/motif.hpp"

namespace seqdl::motif {

enum class ColumnSimilarity { pearson, euclidean };

struct CompareSettings {
  ColumnSimilarity similarity = ColumnSimilarity::pearson;
  int min_overlap = 5;
};

struct Alignment {
  double similarity = -std::numeric_limits<double>::infinity();
  int offset = 0;
  int overlap = 0;
  bool reverse = false;  // the target was reverse-complemented
};

// The best alignment of `query` against `target` over offsets and both orientations.
Alignment best_alignment(const Motif& query, const Motif& target, const CompareSettings& settings);

struct Match {
  size_t target = 0;  // index into the database
  Alignment alignment;
  double pvalue = 1, evalue = 0;
};

class MotifComparer {
 public:
  MotifComparer(std::vector<Motif> database, CompareSettings settings, int shuffles, uint64_t seed);

  const std::vector<Motif>& database() const { return database_; }
  size_t null_size() const { return null_targets_.size(); }

  // Every database motif scored against the query, best first.
  std::vector<Match> compare(const Motif& query) const;

 private:
  // Columns prepared for the similarity (see compare.cpp): [0] the motif, [1] its reverse complement.
  using Prepared = std::array<std::vector<Column>, 2>;
  std::vector<Motif> database_;
  std::vector<Prepared> targets_, null_targets_;  // the database, and its shuffled motifs
  CompareSettings settings_;
};

struct CompareOptions {
  std::string queries;               // motif file
  std::vector<std::string> query_ids;
  std::string database;              // motif file
  std::string output = "-";
  int top = 5;                       // matches per query
  double max_evalue = std::numeric_limits<double>::infinity();
  CompareSettings settings;
  int shuffles = 10;
  uint64_t seed = 0;
};

struct CompareSummary {
  size_t queries = 0, database = 0, null_size = 0, rows = 0;
};

// Writes TSV: query_id query_name target_id target_name orientation offset overlap similarity p_value
// e_value query_consensus target_consensus (the target's consensus in the aligned orientation).
CompareSummary run_compare(const CompareOptions& options);

}  // namespace seqdl::motif
