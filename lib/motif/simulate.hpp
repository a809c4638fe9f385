// `seqdl simulate`: labelled sequence sets with known truth, for demos and for testing that a model finds a
// motif. Motif instances, sampled base by base from a motif's probabilities (then reverse-complemented
// for the '-' strand), are planted without overlap into background sequence that is uniform,
// GC-controlled, or dinucleotide-shuffled from given sequences.
//
// Labels: round(n * positives_fraction) sequences, chosen at random, are positives (label 1). With
// --multilabel each motif gets its own independent round(n * positives_fraction) positives and a 0/1
// column; `label` is then 1 when any motif column is. Of each motif's positives, round(positives *
// carrier_fraction) carry `instances` instances (the rest are positives without a site: label noise);
// without --multilabel each instance's motif is drawn uniformly from the planted motifs. Decoy motifs
// are planted the same way into round(negatives * decoy_fraction) negatives and leave labels at 0.
//
// Output directory (written atomically): pos.fa, neg.fa, labels.tsv (id, sequence, label[, one column per
// motif]), sites.bed (sequence id, 0-based start, end, motif id, 0, strand; decoys included) and
// motifs.meme (the planted and decoy motifs). Same options and seed, same files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "motif/motif.hpp"
#include "util/choices.hpp"

namespace seqdl::motif {

enum class Placement { uniform, centre };
// "center" is accepted too; names print as the first entry.
inline constexpr Choices<Placement, 3> kPlacementChoices{
    {{"uniform", Placement::uniform}, {"centre", Placement::centre}, {"center", Placement::centre}}};

struct SimulateOptions {
  std::string motifs;                  // motif file
  std::vector<std::string> motif_ids;  // motifs to plant (ids or names); empty = every motif not a decoy
  std::vector<std::string> decoy_ids;  // motifs planted into negatives
  std::string output;                  // directory
  int64_t n = 1000;
  int64_t length = 200;
  double positives_fraction = 0.5;
  double carrier_fraction = 1.0;
  int instances = 1;
  double decoy_fraction = 0.5;         // used when there are decoy motifs
  Placement placement = Placement::uniform;
  double spread = 0;                   // centre placement: SD of an instance's centre in bp; 0 = length / 10
  std::optional<double> gc;            // GC fraction of generated backgrounds (default 0.5: uniform)
  std::string background;              // FASTA to dinucleotide-shuffle into backgrounds instead of gc
  bool multilabel = false;
  bool both_strands = true;
  uint64_t seed = 0;
};

struct PlantedSite {
  size_t sequence = 0;  // index into SimulatedSet::ids
  int64_t start = 0;    // 0-based
  size_t motif = 0;     // index into SimulatedSet::motifs (or ::decoys)
  bool decoy = false;
  char strand = '+';
  std::string bases;    // as written into the sequence (+ strand of the sequence)
};

struct SimulatedSet {
  std::vector<Motif> motifs, decoys;
  std::vector<std::string> ids, sequences;
  std::vector<uint8_t> label;                   // per sequence
  std::vector<std::vector<uint8_t>> per_motif;  // --multilabel: [sequence][motif]
  std::vector<PlantedSite> sites;               // ordered by sequence, then start
};

// UsageError for option values that are wrong whatever the motifs (checked before any file is read).
void check_simulate_options(const SimulateOptions& options);

// The set for already-read motifs and background sequences (empty: generated with options.gc).
// UsageError for option values that cannot be met (e.g. instances that do not fit the length).
SimulatedSet simulate_set(const std::vector<Motif>& motifs, const std::vector<Motif>& decoys,
                          const std::vector<std::string>& backgrounds, const SimulateOptions& options);

struct SimulateSummary {
  size_t positives = 0, negatives = 0, sites = 0, decoy_sites = 0;
};

// Reads the motif and background files, simulates, and writes the output directory.
SimulateSummary simulate(const SimulateOptions& options);

}  // namespace seqdl::motif
