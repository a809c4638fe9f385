// Internal to the coverage readers (coverage_*.cpp): where each reader puts what it reads. Maps contig names
// to the genome's, applies the regions and the cut-site shift, checks coordinates against contig lengths and
// keeps the summary's counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/coverage_source.hpp"
#include "util/progress.hpp"

namespace seqdl::io {

class CoverageSink {
 public:
  CoverageSink(CoverageCounter& counter, const std::vector<Region>& regions, CutShift shift, CoverageSummary& summary);

  // The genome's index of a contig, or -1 (the record is then counted as on a missing contig).
  int contig(std::string_view name);
  int find(std::string_view name) const { return counter_.store().contig_index(name); }  // without counting
  int64_t length(int contig) const { return contigs_[static_cast<size_t>(contig)].length; }
  const std::string& name(int contig) const { return contigs_[static_cast<size_t>(contig)].name; }

  // A read's unshifted 5' end (or a fragment's cut site) on strand 0 (+) or 1 (-). False when pos lies past
  // the contig's end (the caller raises the error, naming the record).
  bool cut(int contig, int strand, int64_t pos, float weight);
  // A track interval [start, end), clipped to the regions; false when end lies past the contig's end.
  bool interval(int contig, int strand, int64_t start, int64_t end, float value);

  bool has_regions() const { return !regions_.empty(); }
  // The merged regions of one contig (sorted, disjoint), when regions were given.
  const std::vector<std::pair<int64_t, int64_t>>& regions_of(int contig) const;

  CoverageSummary& summary() { return summary_; }
  // Counts records read (the summary's, and the progress display's when there is one).
  void count_records(uint64_t n = 1) {
    summary_.records += n;
    if (progress_ != nullptr) progress_->add(n);
  }
  void set_progress(Progress* progress) { progress_ = progress; }

 private:
  CoverageCounter& counter_;
  const std::vector<Contig>& contigs_;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> regions_;  // per contig; empty vector: no regions at all
  CutShift shift_;
  CoverageSummary& summary_;
  std::string last_name_;
  int last_index_ = -2;
  Progress* progress_ = nullptr;
};

// The readers, one per kind of source; each reads one file in one pass.
void read_alignment_cuts(const std::string& path, const CoverageOptions& options, CoverageSink& sink);
void read_bed_cuts(const std::string& path, CoverageSink& sink);
void read_fragment_cuts(const std::string& path, bool bedpe, bool use_counts, CoverageSink& sink);
void read_bedgraph(const std::string& path, int strand, CoverageSink& sink);
void read_bigwig(const std::string& path, int strand, CoverageSink& sink);
void bigwig_contigs(const std::string& path, std::vector<Contig>& contigs);  // from its header

}  // namespace seqdl::io
