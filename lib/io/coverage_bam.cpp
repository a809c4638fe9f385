// Read 5' ends from SAM/BAM/CRAM, in one pass over the file or over index queries of the regions.

#include <algorithm>
#include <cstdlib>

#include "io/coverage_sink.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class AlignmentCounter {
 public:
  AlignmentCounter(BamReader& bam, const CoverageOptions& o, CoverageSink& sink) : bam_(bam), o_(o), sink_(sink) {
    // The BAM's contigs as the genome's indices, checking that shared contigs have the same length.
    for (const auto& c : bam.contigs()) {
      int g = sink.find(c.name);
      if (g >= 0 && sink.length(g) != c.length) {
        throw InputError("{}: contig {} is {} bp in its header but {} bp in the genome: the reads were aligned to "
                         "another assembly", bam.path(), c.name, c.length, sink.length(g));
      }
      to_genome_.push_back(g);
    }
  }

  // Every record from the reader's current position (the whole file, or one region query); records that
  // begin before `skip_before` on the same contig were seen by the previous query and are skipped.
  void count(int64_t skip_before = -1) {
    AlignmentSpan a;
    while (bam_.next_span(a)) {
      if (a.pos < skip_before) continue;
      sink_.count_records();
      bool improper = o_.proper_pairs_only && (a.flag & 0x1) && !(a.flag & 0x2);
      if (!a.passes || improper || (a.flag & 0x4) || a.tid < 0) {
        ++sink_.summary().filtered;
        continue;
      }
      int g = to_genome_[static_cast<size_t>(a.tid)];
      if (g < 0) {
        ++sink_.summary().missing_contigs[bam_.contigs()[static_cast<size_t>(a.tid)].name];
        continue;
      }
      bool minus = a.reverse();
      if (!sink_.cut(g, minus ? 1 : 0, minus ? a.end - 1 : a.pos, 1.0f)) {
        throw InputError("{}: record {} aligns past the end of {} ({} bp)", bam_.path(), bam_.records_read(),
                         sink_.name(g), sink_.length(g));
      }
    }
  }

  int genome_index(size_t tid) const { return to_genome_[tid]; }

 private:
  BamReader& bam_;
  const CoverageOptions& o_;
  CoverageSink& sink_;
  std::vector<int> to_genome_;
};

}  // namespace

void read_alignment_cuts(const std::string& path, const CoverageOptions& o, CoverageSink& sink) {
  BamReader bam(path, o.reference, o.filter);
  AlignmentCounter counter(bam, o, sink);
  if (!sink.has_regions()) {
    counter.count();
    return;
  }
  // Index queries widened by the largest shift, so that reads whose shifted cut lands in a region are seen.
  int64_t margin = std::max(std::abs(o.shift.plus), std::abs(o.shift.minus)) + 1;
  for (size_t tid = 0; tid < bam.contigs().size(); ++tid) {
    int g = counter.genome_index(tid);
    if (g < 0) continue;
    int64_t previous_end = -1;
    for (auto [start, end] : sink.regions_of(g)) {
      Region query{bam.contigs()[tid].name, std::max<int64_t>(0, start - margin),
                   std::min(bam.contigs()[tid].length, end + margin), ""};
      if (query.start < previous_end) query.start = previous_end;
      if (query.start >= query.end) continue;
      bam.set_region(query);
      counter.count(previous_end);
      previous_end = query.end;
    }
  }
}

}  // namespace seqdl::io
