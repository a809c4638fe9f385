// `seqdl coverage`: counts a coverage source the way profile training does and writes it as tracks (bedGraph
// or bigWig, per strand or combined), optionally with the profile windows training would see (peak windows
// and one epoch of GC-matched background) as a BED with their output-span counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/profile_background.hpp"
#include "data/profile_windows.hpp"
#include "io/coverage_source.hpp"

namespace seqdl::data {

struct CoverageJob {
  io::CoverageOptions coverage;
  std::vector<std::string> region_specs;  // region strings or BED files: count only there (BAM: index queries)
  std::string genome;                     // FASTA: its contigs; needed for windows
  std::string chrom_sizes;                // or contig sizes from a chrom.sizes / .fai file
  std::string output;                     // tracks: X.bw -> X.plus.bw + X.minus.bw, or X.bw with combined strands
  std::string peaks, exclude;             // windows: summits (narrowPeak or summits BED) and a blacklist BED
  std::string windows_output;             // BED of windows: chrom start end id total strand split kind counts...
  ProfileWindowOptions windows;
  BackgroundOptions background;
  uint64_t seed = 0;                      // the background's draw (epoch 0)
};

struct CoverageJobResult {
  io::CoverageSummary summary;
  std::vector<std::string> files;         // track files written
  std::vector<double> totals;             // per strand channel
  uint64_t runs = 0, store_bytes = 0;
  uint64_t peak_windows = 0, background_windows = 0;
};

// Checks every option and input before writing anything; outputs are atomic. Throws the typed errors.
CoverageJobResult run_coverage_job(const CoverageJob& job);

}  // namespace seqdl::data
