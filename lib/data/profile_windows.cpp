#include "data/profile_windows.hpp"

#include <algorithm>

#include "data/genome_regions.hpp"
#include "data/interval_index.hpp"
#include "io/bed.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& chrom) {
  return std::find(names.begin(), names.end(), chrom) != names.end();
}

bool peak_file(const std::string& path) {
  for (const char* ext : {".narrowPeak", ".narrowPeak.gz", ".regionPeak", ".regionPeak.gz"}) {
    if (ends_with_ci(path, ext)) return true;
  }
  return false;
}

}  // namespace

const char* split_name(ProfileSplit split) {
  switch (split) {
    case ProfileSplit::train: return "train";
    case ProfileSplit::valid: return "valid";
    case ProfileSplit::test: return "test";
  }
  return "?";
}

io::Region ProfileWindow::input(const ProfileWindowOptions& o, int64_t offset) const {
  io::Region r = centred_window(chrom, centre + offset, o.input_length);
  r.name = id;
  return r;
}

io::Region ProfileWindow::output(const ProfileWindowOptions& o, int64_t offset) const {
  io::Region r = centred_window(chrom, centre + offset, o.output_length);
  r.name = id;
  return r;
}

io::Region ProfileWindow::fetch_span(const ProfileWindowOptions& o) const {
  io::Region r = input(o);
  r.start -= o.max_jitter;
  r.end += o.max_jitter;
  return r;
}

uint64_t PeakWindows::count(ProfileSplit split) const {
  return static_cast<uint64_t>(
      std::count_if(windows.begin(), windows.end(), [&](const ProfileWindow& w) { return w.split == split; }));
}

void check_profile_options(const io::IndexedFasta& genome, const ProfileWindowOptions& o) {
  if (o.input_length < 1) throw UsageError("--input-length must be at least 1, not {}", o.input_length);
  if (o.output_length < 1 || o.output_length > o.input_length) {
    throw UsageError("--output-length must be between 1 and the input length ({}), not {}", o.input_length,
                     o.output_length);
  }
  if (o.max_jitter < 0) throw UsageError("--jitter must not be negative, not {}", o.max_jitter);
  for (const auto* list : {&o.valid_chroms, &o.test_chroms}) {
    const char* what = list == &o.valid_chroms ? "--valid-chroms" : "--test-chroms";
    for (const auto& c : *list) {
      if (!genome.has(c)) throw UsageError("{}: {} is not a contig of {}", what, c, genome.path());
    }
  }
  for (const auto& c : o.valid_chroms) {
    if (listed(o.test_chroms, c)) throw UsageError("--valid-chroms and --test-chroms both name {}", c);
  }
}

ProfileSplit split_of(const std::string& chrom, const ProfileWindowOptions& o) {
  if (listed(o.test_chroms, chrom)) return ProfileSplit::test;
  if (listed(o.valid_chroms, chrom)) return ProfileSplit::valid;
  return ProfileSplit::train;
}

std::vector<io::Region> read_exclusion(const std::string& path) {
  std::vector<io::Region> regions;
  if (path.empty()) return regions;
  for (auto& rec : io::read_bed(path, false)) regions.push_back(std::move(rec.region));
  return regions;
}

PeakWindows read_peak_windows(const io::IndexedFasta& genome, const std::string& path,
                              const std::vector<io::Region>& exclusion, const ProfileWindowOptions& o) {
  check_profile_options(genome, o);
  IntervalIndex excluded(exclusion);
  PeakWindows result;
  io::BedReader reader(path, peak_file(path));
  io::BedRecord rec;
  while (reader.next(rec)) {
    ++result.peaks;
    ProfileWindow w;
    w.chrom = rec.region.chrom;
    if (reader.narrow_peak() && !rec.summit) ++result.without_summit;
    w.centre = rec.region.length() == 1 ? rec.region.start : rec.centre();
    bool unnamed = rec.region.name.empty() || rec.region.name == ".";  // MACS writes '.' for no name
    w.id = unnamed ? fmt::format("{}:{}", w.chrom, w.centre + 1) : rec.region.name;
    w.split = split_of(w.chrom, o);
    if (!genome.has(w.chrom)) {
      ++result.missing_contig;
      continue;
    }
    result.avoid.push_back(rec.region);
    result.avoid.push_back(w.output(o));
    io::Region span = w.fetch_span(o);
    if (span.start < 0 || span.end > genome.length(w.chrom)) {
      ++result.off_contig_end;
    } else if (excluded.overlaps(span.chrom, span.start, span.end)) {
      ++result.excluded;
    } else {
      result.windows.push_back(std::move(w));
    }
  }
  if (result.peaks == 0) throw InputError("{} holds no peaks", path);
  if (result.windows.empty()) {
    throw InputError("none of the {} peaks of {} gave a window: {} run off a contig end, {} overlap the exclusion "
                     "BED, {} lie on contigs the genome lacks", result.peaks, path, result.off_contig_end,
                     result.excluded, result.missing_contig);
  }
  return result;
}

void log_peak_windows(const PeakWindows& p, const std::string& path) {
  log::info("{}: {} peak windows (train {}, valid {}, test {}) of {} peaks", path, with_commas(p.windows.size()),
            with_commas(p.count(ProfileSplit::train)), with_commas(p.count(ProfileSplit::valid)),
            with_commas(p.count(ProfileSplit::test)), with_commas(p.peaks));
  if (p.off_contig_end > 0) log::warn("{} peaks skipped: window runs off contig end", with_commas(p.off_contig_end));
  if (p.excluded > 0) log::warn("{} peaks skipped: window overlaps the exclusion BED", with_commas(p.excluded));
  if (p.missing_contig > 0) {
    log::warn("{} peaks skipped: on contigs the genome lacks", with_commas(p.missing_contig));
  }
  if (p.without_summit > 0) {
    log::info("{} peaks have no summit (column 10 is -1) and are centred on their midpoint",
              with_commas(p.without_summit));
  }
}

}  // namespace seqdl::data
