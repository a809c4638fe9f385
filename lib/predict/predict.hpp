// `seqdl predict`: a model over a genome (tracks, calls), over intervals, sequences or reads. Torch-free
// interface; the engine is in genome_scan.cpp (genomes) and record_predict.cpp (everything else).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/sequence_source.hpp"
#include "infer/window_geometry.hpp"
#include "io/track_writer.hpp"
#include "nn/model_info.hpp"
#include "util/choices.hpp"

namespace seqdl::predict {

enum class Edges { pad, skip };
inline constexpr Choices<Edges, 2> kEdgeChoices{{{"pad", Edges::pad}, {"skip", Edges::skip}}};
using infer::Strands;
// Per-position models: write each strand's outputs as tracks of their own (OUT.<task>.plus.EXT, OUT.<task>.minus.EXT;
// the minus strand is the reverse complement run and flipped back), as splice models read their genes' strand. auto:
// for models trained on a stranded annotation (their metadata says strand_specific), unless --rc combines the strands.
enum class StrandTracks { automatic, both, none };
inline constexpr Choices<StrandTracks, 3> kStrandTrackChoices{
    {{"auto", StrandTracks::automatic}, {"both", StrandTracks::both}, {"none", StrandTracks::none}}};
using OutputFormat = io::TrackFormat;
inline constexpr const auto& kOutputFormatChoices = io::kTrackFormatChoices;

struct PredictOptions {
  std::string model;
  nn::ModelOverrides overrides;  // --window, --task-names, --task-type, --unknown

  // What to predict on (exactly one): a genome scan, intervals of a genome, sequences, or reads.
  std::string genome;           // --genome: every contig, or --regions
  std::vector<std::string> regions;
  std::string intervals;        // --intervals with --genome: one prediction per interval
  data::SourceSpec sequences;   // --sequences FILE (FASTA/FASTQ/table) or --bam FILE (reads)

  int64_t stride = 0;           // genome scan; 0 = the model's window for per-window models
  Edges edges = Edges::pad;
  Strands strands = Strands::none;
  StrandTracks strand_tracks = StrandTracks::automatic;  // genome scans with per-position models
  bool logits = false;          // raw outputs instead of probabilities
  std::vector<std::string> tasks;  // outputs to write (default all)
  int64_t batch = 256;
  std::string shard;            // "K/N"

  std::string output;           // "-" for stdout
  std::optional<OutputFormat> format;  // default from the output's extension
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

// UsageError for contradictory options, InputError/FormatError for bad input, ModelError for a model that does
// not fit; no output is left behind then.
PredictSummary run_predict(const PredictOptions& options);

OutputFormat format_for(const std::string& output, std::optional<OutputFormat> format);
std::pair<int, int> parse_shard(const std::string& text);  // "K/N" -> (K, N), 1-based K

}  // namespace seqdl::predict
