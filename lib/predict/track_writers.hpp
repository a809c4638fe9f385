// Where genome-scan values go: TSV (all tasks), bedGraph and bigWig (one file per task), BED calls above a
// threshold (adjacent bins merged, the peak value kept), .npy. Values arrive in genome order, one bin at a
// time; every writer is atomic (nothing is left under the output name if the run fails).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"
#include "predict/predict.hpp"

namespace seqdl::predict {

class TrackWriter {
 public:
  virtual ~TrackWriter() = default;
  // values: one per written task
  virtual void add(const std::string& chrom, int64_t start, int64_t end, const float* values) = 0;
  virtual void finish() = 0;  // commits every file
  virtual std::vector<std::string> files() const = 0;
};

// `tasks` are the names of the written values; `contigs` give bigWig its chromosome sizes.
std::unique_ptr<TrackWriter> open_track_writer(OutputFormat format, const std::string& output,
                                               const std::vector<std::string>& tasks,
                                               const std::vector<io::Contig>& contigs, double threshold);

// The file a per-task output goes to: the output itself for one task, else NAME.<task>.EXT.
std::string per_task_path(const std::string& output, const std::string& task, size_t tasks);

}  // namespace seqdl::predict
