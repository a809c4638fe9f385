// `seqdl motifs discover`: motif discovery from attributions in the manner of TF-MoDISco (Shrikumar et al.,
// "Technical Note on Transcription Factor Motif Discovery from Importance Scores (TF-MoDISco) version
// 0.5.6.5", arXiv:1811.00416, 2018) and its tfmodisco-lite rewrite, written from their published design:
//
//   seqlets     windows of high summed contribution against a Laplace null, isotonic FDR threshold,
//               greedy non-overlapping choice (discover_seqlets.hpp); positive and negative metaclusters;
//   similarity  coarse: gapped k-mer embeddings, nearest neighbours (discover_kmers.hpp,
//               discover_neighbors.hpp); fine: continuous Jaccard at the best alignment, either strand
//               (discover_similarity.hpp); density-adapted affinities (discover_affinity.hpp);
//   clustering  Leiden (libigraph), several seeds, best modularity (discover_leiden.hpp);
//   patterns    aligned and averaged seqlets, trimmed; split, merged, seqlets reassigned, small or
//               uninformative patterns dropped (discover_patterns.hpp, discover_refine.hpp);
//   outputs     MEME files, a seqlet table, database matches and an HTML report (discover_output.hpp).
//
// The result depends only on the inputs, the options and `seed`: every parallel stage writes per item,
// and NN-descent joins fixed batches, so any thread count gives the same files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "motif/compare.hpp"
#include "motif/discover_input.hpp"
#include "motif/discover_kmers.hpp"
#include "motif/discover_refine.hpp"
#include "motif/discover_seqlets.hpp"

namespace seqdl::motif {

struct DiscoverOptions {
  AttributionPaths inputs;
  std::string output;            // directory, written atomically
  std::string database;          // optional motif file (MEME, JASPAR, TRANSFAC) for matches.tsv and the report
  int top_matches = 3;
  CompareSettings compare;       // how matches are found, as `motifs compare` (Tomtom's method; seed: `seed`)
  SeqletOptions seqlets;
  int64_t min_seqlets = 50;      // a metacluster with fewer seqlets is not clustered
  int64_t max_seqlets = 100000;  // per metacluster: the strongest (largest |score|) are kept
  KmerOptions kmers;
  int neighbors = 20;            // coarse nearest neighbours per seqlet, re-scored by the fine similarity
  double perplexity = 10;
  double min_similarity = 0.1;   // fine similarity below which a neighbour gets no edge
  RefineOptions refine;          // includes leiden_runs (--leiden-seeds) and min_seqlets per pattern
  bool report = true;
  uint64_t seed = 0;
  int threads = 1;
};

struct StageTime {
  std::string stage;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // every thread's CPU time (what the work costs, whatever the machine's load)
};

struct DiscoveredPattern {
  std::string id;                // pos_pattern_0, neg_pattern_0, ... by metacluster, then size
  bool negative = false;
  Pattern pattern;               // members index the metacluster's seqlets (see SeqletResult)
  size_t forward = 0, reverse = 0;  // members placed as called, and reverse-complemented
  std::vector<Match> matches;    // best database matches (top_matches), when a database is given
};

struct SeqletResult {
  Seqlet seqlet;
  int pattern = -1;              // index into DiscoveryResult::patterns, -1 = none
  Member placement;              // on its pattern (when pattern >= 0)
};

struct DiscoveryResult {
  int64_t rows = 0, length = 0;
  std::vector<RowCoordinate> coordinates;  // from --coords (empty without)
  SeqletCall call;               // thresholds and the seqlets called (call.seqlets is moved into `seqlets`)
  std::vector<SeqletResult> seqlets;  // every seqlet called, by row and start
  size_t positive = 0, negative = 0;  // seqlets in each metacluster (after max_seqlets)
  size_t capped = 0;             // seqlets left out by max_seqlets
  std::vector<std::string> notes;  // e.g. a metacluster too small to cluster
  std::vector<DiscoveredPattern> patterns;
  std::vector<Motif> database;   // the database motifs matches refer to
  size_t database_null = 0;
  std::vector<StageTime> stages;
  size_t assigned() const;
};

// UsageError for option values out of range (before any file is read).
void check_discover_options(const DiscoverOptions& options);

// Everything but the files: reads the inputs and the database, finds the patterns.
DiscoveryResult discover(const DiscoverOptions& options);

// discover() and then the output directory (write_discovery in discover_output.hpp). The directory's place is
// checked first: InputError before any work when it cannot be created.
DiscoveryResult run_discover(const DiscoverOptions& options);

}  // namespace seqdl::motif
