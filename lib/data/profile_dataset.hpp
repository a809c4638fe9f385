// Everything a profile model trains or is evaluated on, loaded once: the genome, the exclusion intervals, the
// peak windows (skips logged with their counts), the coverage counted from reads, fragments or tracks, and the
// optional control track (input or bias), each counted against the genome's contigs. Torch-free; training
// (train/profile_task.hpp) and evaluation (evaluate/profile_evaluate.hpp) share it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/profile_background.hpp"
#include "data/profile_windows.hpp"
#include "io/coverage_source.hpp"
#include "io/coverage_store.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::data {

struct ProfileDataSpec {
  std::string genome;              // indexed FASTA
  std::string peaks;               // narrowPeak or summits BED
  std::string exclude;             // blacklist BED (optional)
  io::CoverageOptions coverage;    // the counts the model predicts (inputs pooled)
  io::CoverageOptions control;     // inputs empty: no control track
  ProfileWindowOptions windows;
  std::vector<std::string> only_chroms;  // count coverage on these contigs only (evaluation), via index queries
};

struct ProfileDataset {
  std::unique_ptr<io::IndexedFasta> genome;
  std::vector<io::Region> exclusion;
  PeakWindows peaks;
  io::CoverageStore counts;
  std::unique_ptr<io::CoverageStore> control;  // null without a control track
  io::CoverageSummary summary;
};

// Reads peaks before counting (a bad peak file fails fast). UsageError for missing options, InputError/FormatError
// for bad input (a summit outside its peak, an empty coverage file, coverage from another assembly, a BAM without
// index when only_chroms needs one); InputError when no peak window is left at all.
ProfileDataset load_profile_dataset(const ProfileDataSpec& spec);

// "bam", "bigwig", ... of the first input, with the shift and strand mode, for logs and metadata.
std::string describe_coverage(const io::CoverageOptions& coverage);

}  // namespace seqdl::data
