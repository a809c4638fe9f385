// `seqdl motifs scan`: FIMO-like PWM scanning of sequences (any input data::open_sequences reads) or of a
// whole genome streamed chunk by chunk (every contig, or --regions), with exact p-values (see pwm.hpp).
//
// Outputs:
//   tsv  motif_id motif_name sequence start end strand score p_value matched_sequence   (start 1-based)
//   bed  chrom start end motif_id score strand                                           (0-based)
//   --per-sequence-max (TSV): id score p_value motif_id motif_name start end strand matched_sequence,
//        one row per sequence and motif: the best window on either strand. A sequence without any window
//        to score (shorter than the motif, or N everywhere) gets the motif's lowest possible score,
//        p-value 1 and NA positions, so that every sequence has a number to rank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/sequence_source.hpp"
#include "motif/motif.hpp"
#include "util/choices.hpp"

namespace seqdl::motif {

enum class ScanFormat { tsv, bed };
inline constexpr Choices<ScanFormat, 2> kScanFormatChoices{{{"tsv", ScanFormat::tsv}, {"bed", ScanFormat::bed}}};

struct ScanOptions {
  std::string motifs;                  // MEME/JASPAR/TRANSFAC file
  std::vector<std::string> motif_ids;  // only these motifs (ids or names); empty = all
  data::SourceSpec source;             // the sequences, when `genome` is empty
  std::string genome;                  // indexed FASTA scanned chunk by chunk; source.regions limit it
  std::string output = "-";
  std::optional<ScanFormat> format;    // default: bed for *.bed, else tsv
  bool per_sequence_max = false;
  double max_pvalue = 1e-4;            // report windows with p-value < this (FIMO's --thresh)
  double pseudocount = 0.1;            // FIMO's --motif-pseudo
  std::string background = "uniform";  // uniform | motif (the file's) | input (the scanned bases) | a file
  bool both_strands = true;
  int64_t chunk_size = 1 << 20;        // genome bases per chunk
  int threads = 1;                     // scanning threads (the output does not depend on them)
};

struct ScanSummary {
  size_t motifs = 0;
  uint64_t sequences = 0;
  uint64_t bases = 0;
  uint64_t hits = 0;     // rows written
  uint64_t unscored = 0; // per-sequence max: sequence-motif pairs without a window to score
  Background background = kUniformBackground;
  double seconds = 0;
};

ScanSummary run_scan(const ScanOptions& options);

// Parses a background file: "A 0.3 C 0.2 G 0.2 T 0.3" on one line or one base per line (MEME's
// fasta-get-markov output; its higher-order lines such as "AA 0.1" are skipped). FormatError file:line.
Background read_background_file(const std::string& path);

}  // namespace seqdl::motif
