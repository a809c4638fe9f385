#include "data/genome_regions.hpp"

#include <filesystem>

#include "io/bed.hpp"
#include "util/error.hpp"

namespace seqdl::data {

io::Region centred_window(const std::string& chrom, int64_t centre, int64_t window) {
  int64_t start = centre - window / 2;
  return io::Region{chrom, start, start + window, ""};
}

namespace {

GenomeInterval make_interval(const io::IndexedFasta& genome, const io::Region& given, int64_t centre, char strand,
                             const std::string& what, int64_t window) {
  io::Region checked = genome.resolve(given, what, false);
  GenomeInterval gi;
  gi.strand = strand;
  gi.source = checked;
  gi.id = !given.name.empty() ? given.name : checked.to_string();
  if (window > 0) {
    gi.region = centred_window(checked.chrom, centre < 0 ? checked.start + checked.length() / 2 : centre, window);
    gi.off_contig = gi.region.start < 0 || gi.region.end > genome.length(checked.chrom);
  } else {
    gi.region = checked;
  }
  return gi;
}

}  // namespace

struct RegionReader::Bed {
  io::BedReader reader;
  io::BedRecord record;
  explicit Bed(const std::string& path) : reader(path) {}
};

RegionReader::RegionReader(const io::IndexedFasta& genome, std::vector<std::string> specs, int64_t window)
    : genome_(genome), specs_(std::move(specs)), window_(window) {}

RegionReader::~RegionReader() = default;

bool RegionReader::next(GenomeInterval& out) {
  while (spec_ < specs_.size()) {
    const std::string& spec = specs_[spec_];
    if (bed_ == nullptr) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(spec, ec)) {
        ++spec_;
        out = make_interval(genome_, genome_.parse(spec, "--regions"), -1, '.', fmt::format("--regions {}", spec),
                            window_);
        return true;
      }
      bed_ = std::make_unique<Bed>(spec);
    }
    io::BedRecord& rec = bed_->record;
    if (!bed_->reader.next(rec)) {
      bed_.reset();
      ++spec_;
      continue;
    }
    if (rec.region.length() == 0 && window_ == 0) {
      throw InputError("{}:{}: empty interval {}:{}-{}", spec, rec.line, rec.region.chrom, rec.region.start,
                       rec.region.end);
    }
    out = make_interval(genome_, rec.region, rec.centre(), rec.strand, fmt::format("{}:{}", spec, rec.line), window_);
    return true;
  }
  return false;
}

std::vector<GenomeInterval> read_regions(const io::IndexedFasta& genome, const std::vector<std::string>& specs,
                                         int64_t window) {
  std::vector<GenomeInterval> out;
  RegionReader reader(genome, specs, window);
  GenomeInterval gi;
  while (reader.next(gi)) out.push_back(std::move(gi));
  return out;
}

}  // namespace seqdl::data
