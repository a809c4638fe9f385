// `seqdl predict`: a model over a genome (tracks, calls), over intervals, sequences or reads. Torch-free
// interface; the engine is in genome_scan.cpp (genomes) and record_predict.cpp (everything else).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/sequence_source.hpp"
#include "nn/model.hpp"

namespace seqdl::predict {

enum class Edges { pad, skip };
enum class Strands { none, mean, max };
enum class OutputFormat { tsv, bedgraph, bigwig, bed, npy };

struct PredictOptions {
  std::string model;
  nn::ModelOverrides overrides;  // --window, --task-names for TorchScript models

  // What to predict on (exactly one): a genome scan, intervals of a genome, sequences, or reads.
  std::string genome;           // --genome: every contig, or --regions
  std::vector<std::string> regions;
  std::string intervals;        // --intervals with --genome: one prediction per interval
  data::SourceSpec sequences;   // --sequences FILE (FASTA/FASTQ/table) or --bam FILE (reads)

  int64_t stride = 0;           // genome scan; 0 = the model's window for per-window models
  Edges edges = Edges::pad;
  Strands strands = Strands::none;
  bool logits = false;          // raw outputs instead of probabilities
  std::vector<std::string> tasks;  // outputs to write (default all)
  int64_t batch = 256;
  std::string shard;            // "K/N"

  std::string output;           // "-" for stdout
  std::string format;           // tsv | bedgraph | bigwig | bed | npy; default from the output's extension
  double threshold = 0.5;       // BED calls
  bool window_by_window = false;  // never share work between windows (for checking the fast paths)
};

struct PredictSummary {
  uint64_t predictions = 0;       // windows, intervals, sequences or reads
  uint64_t padded = 0;            // windows that ran off a contig end (N-padded)
  double seconds = 0;
  bool shared_trunk = false;      // the fast genome path was used
  std::string engine;             // how predictions were computed, for the log
  std::vector<std::string> outputs;  // files written
};

PredictSummary run_predict(const PredictOptions& options);

OutputFormat format_for(const std::string& output, const std::string& format);
std::pair<int, int> parse_shard(const std::string& text);  // "K/N" -> (K, N), 1-based K

}  // namespace seqdl::predict
