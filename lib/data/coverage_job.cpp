#include "data/coverage_job.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <numeric>

#include "data/profile_examples.hpp"
#include "io/bed.hpp"
#include "io/coverage_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

std::vector<io::Region> parse_regions(const std::vector<std::string>& specs, const std::vector<io::Contig>& contigs) {
  auto is_contig = [&](const std::string& name) {
    return std::any_of(contigs.begin(), contigs.end(), [&](const io::Contig& c) { return c.name == name; });
  };
  std::vector<io::Region> regions;
  for (const auto& spec : specs) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(spec, ec)) {
      for (auto& rec : io::read_bed(spec, false)) regions.push_back(std::move(rec.region));
    } else {
      regions.push_back(io::parse_region(spec, "--regions", is_contig));
    }
  }
  return regions;
}

std::vector<io::Contig> job_contigs(const CoverageJob& job, const io::IndexedFasta* genome) {
  if (genome != nullptr) return genome->contigs();
  if (!job.chrom_sizes.empty()) return io::read_chrom_sizes(job.chrom_sizes);
  return io::source_contigs(job.coverage);
}

// One BED line per window: chrom, input start, input end, id, total count over the output span, '.', split,
// kind, then the output span's total per strand channel.
void write_windows(const std::string& path, const std::vector<ProfileWindow>& windows, const ProfileFetcher& fetcher) {
  AtomicFile out(path);
  const auto& o = fetcher.options();
  for (const auto& w : windows) {
    ProfileExample e = cut(fetcher.fetch(w), 0);
    io::Region in = w.input(o);
    std::vector<double> sums(static_cast<size_t>(e.strands), 0.0);
    for (int s = 0; s < e.strands; ++s) {
      for (int64_t i = 0; i < o.output_length; ++i) sums[static_cast<size_t>(s)] += e.counts[s * o.output_length + i];
    }
    out.print("{}\t{}\t{}\t{}\t{}\t.\t{}\t{}", in.chrom, in.start, in.end, w.id,
              exact_number(std::accumulate(sums.begin(), sums.end(), 0.0)), split_name(w.split),
              w.kind == WindowKind::peak ? "peak" : "background");
    for (double s : sums) out.print("\t{}", exact_number(s));
    out.write("\n");
  }
  out.commit();
}

}  // namespace

CoverageJobResult run_coverage_job(const CoverageJob& job) {
  bool windows = !job.peaks.empty();
  if (job.output.empty() && job.windows_output.empty()) throw UsageError("give an output: -o/--output or --windows");
  if (!job.windows_output.empty() && !windows) throw UsageError("--windows needs --peaks");
  if (windows && job.genome.empty()) throw UsageError("--peaks needs the genome FASTA (--genome)");
  if (!job.output.empty()) io::track_format_from_name(job.output, "--output");

  std::unique_ptr<io::IndexedFasta> genome;
  if (!job.genome.empty()) genome = std::make_unique<io::IndexedFasta>(job.genome);
  std::vector<io::Contig> contigs = job_contigs(job, genome.get());
  io::CoverageOptions coverage = job.coverage;
  coverage.regions = parse_regions(job.region_specs, contigs);

  // Peaks first: a malformed peak file fails before the (longer) counting pass.
  std::vector<io::Region> exclusion;
  PeakWindows peaks;
  if (windows) {
    exclusion = read_exclusion(job.exclude);
    peaks = read_peak_windows(*genome, job.peaks, exclusion, job.windows);
    log_peak_windows(peaks, job.peaks);
  }

  CoverageJobResult result;
  io::CoverageStore store = io::count_coverage(coverage, contigs, result.summary);
  io::warn_coverage_summary(result.summary, coverage.inputs.front());
  for (int s = 0; s < store.strands(); ++s) result.totals.push_back(store.total(s));
  result.runs = store.run_count();
  result.store_bytes = store.memory_bytes();

  if (windows) {
    std::vector<ProfileWindow> all = peaks.windows;
    ProfileBackground background(*genome, peaks, exclusion, job.windows, job.background);
    for (auto split : {ProfileSplit::train, ProfileSplit::valid, ProfileSplit::test}) {
      auto drawn = background.for_epoch(job.seed, 0, split);
      result.background_windows += drawn.size();
      all.insert(all.end(), drawn.begin(), drawn.end());
    }
    result.peak_windows = peaks.windows.size();
    if (!job.windows_output.empty()) {
      write_windows(job.windows_output, all, ProfileFetcher(*genome, store, nullptr, job.windows));
    }
  }
  if (!job.output.empty()) result.files = io::write_coverage_tracks(store, job.output);
  return result;
}

}  // namespace seqdl::data
