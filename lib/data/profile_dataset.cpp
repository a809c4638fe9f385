#include "data/profile_dataset.hpp"

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

io::CoverageStore count(const io::CoverageOptions& options, const std::vector<io::Contig>& contigs,
                        const std::vector<std::string>& only, io::CoverageSummary& summary) {
  io::CoverageOptions o = options;
  for (const auto& chrom : only) {
    for (const auto& c : contigs) {
      if (c.name == chrom) o.regions.push_back(io::Region{c.name, 0, c.length});
    }
  }
  io::CoverageStore store = io::count_coverage(o, contigs, summary);
  io::warn_coverage_summary(summary, o.inputs.front());
  return store;
}

}  // namespace

std::string describe_coverage(const io::CoverageOptions& c) {
  if (c.inputs.empty()) return "none";
  io::CoverageFormat format = c.format == io::CoverageFormat::automatic ? io::format_from_name(c.inputs.front()) : c.format;
  return fmt::format("{} ({}, shift {},{}, strands {})", join(c.inputs, " + "), io::coverage_format_name(format),
                     c.shift.plus, c.shift.minus, choice_name(io::kStrandModeChoices, c.strands));
}

ProfileDataset load_profile_dataset(const ProfileDataSpec& spec) {
  if (spec.genome.empty()) throw UsageError("--coverage needs the genome FASTA (--genome)");
  if (spec.peaks.empty()) throw UsageError("--coverage needs the peaks (--peaks: narrowPeak or a summits BED)");
  if (spec.coverage.inputs.empty()) throw UsageError("--peaks needs the read coverage (--coverage)");
  ProfileDataset d;
  d.genome = std::make_unique<io::IndexedFasta>(spec.genome);
  check_profile_options(*d.genome, spec.windows);
  for (const auto& chrom : spec.only_chroms) {
    if (!d.genome->has(chrom)) throw UsageError("--chroms: the genome {} has no contig '{}'", spec.genome, chrom);
  }
  d.exclusion = read_exclusion(spec.exclude);
  d.peaks = read_peak_windows(*d.genome, spec.peaks, d.exclusion, spec.windows);
  log_peak_windows(d.peaks, spec.peaks);
  if (d.peaks.windows.empty()) {
    throw InputError("{}: none of its {} peaks leaves a window of {} bp (+-{} jitter) inside its contig and clear of "
                     "the exclusion list", spec.peaks, with_commas(d.peaks.peaks), spec.windows.input_length,
                     spec.windows.max_jitter);
  }
  d.counts = count(spec.coverage, d.genome->contigs(), spec.only_chroms, d.summary);
  if (!spec.control.inputs.empty()) {
    io::CoverageSummary control_summary;
    d.control = std::make_unique<io::CoverageStore>(count(spec.control, d.genome->contigs(), spec.only_chroms,
                                                          control_summary));
  }
  log::info("coverage: {} counted from {} records of {}", with_commas(d.summary.counted), with_commas(d.summary.records),
            describe_coverage(spec.coverage));
  return d;
}

}  // namespace seqdl::data
