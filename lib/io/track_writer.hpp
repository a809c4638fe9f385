// Where values along a genome go (genome scans, contribution tracks): TSV (all tasks), bedGraph and bigWig (one
// file per task), BED calls above a threshold (adjacent bins merged, the peak value kept), .npy. Values arrive in
// genome order, one bin at a time; every writer is atomic (nothing is left under the output name if the run fails).
// One thread per writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"
#include "util/choices.hpp"

namespace seqdl::io {

enum class TrackFormat { tsv, bedgraph, bigwig, bed, npy };
inline constexpr Choices<TrackFormat, 5> kTrackFormatChoices{{{"tsv", TrackFormat::tsv},
                                                              {"bedgraph", TrackFormat::bedgraph},
                                                              {"bigwig", TrackFormat::bigwig},
                                                              {"bed", TrackFormat::bed},
                                                              {"npy", TrackFormat::npy}}};

// The format an output's name says: .bedGraph/.bdg/.bg (also .gz), .bw/.bigWig, .bed, .npy, anything else TSV.
TrackFormat track_format_for(const std::string& output);

class TrackWriter {
 public:
  virtual ~TrackWriter() = default;
  // values: one per written task
  virtual void add(const std::string& chrom, int64_t start, int64_t end, const float* values) = 0;
  virtual void finish() = 0;  // commits every file
  virtual std::vector<std::string> files() const = 0;
};

// `tasks` are the names of the written values; `contigs` give bigWig its chromosome sizes; `strands` (optional, one
// per task: '+' or '-') go into column 6 of BED calls ('.' without). UsageError for several tracks to stdout or
// bigWig to '-'; InputError when a file cannot be created.
std::unique_ptr<TrackWriter> open_track_writer(TrackFormat format, const std::string& output,
                                               const std::vector<std::string>& tasks, const std::vector<Contig>& contigs,
                                               double threshold, const std::vector<char>& strands = {});

// The file a per-task output goes to: the output itself for one task, else NAME.<task>.EXT.
std::string per_task_path(const std::string& output, const std::string& task, size_t tasks);

}  // namespace seqdl::io
