#include "data/genome_regions.hpp"

#include <filesystem>

#include "io/bed.hpp"
#include "util/error.hpp"

namespace seqdl::data {

io::Region centred_window(const std::string& chrom, int64_t centre, int64_t window) {
  int64_t start = centre - window / 2;
  return io::Region{chrom, start, start + window, ""};
}

std::vector<GenomeInterval> read_regions(const io::IndexedFasta& genome, const std::vector<std::string>& specs,
                                         int64_t window) {
  std::vector<GenomeInterval> out;
  auto add = [&](const io::Region& given, int64_t centre, char strand, const std::string& what) {
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
    out.push_back(std::move(gi));
  };
  for (const std::string& spec : specs) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(spec, ec)) {
      io::BedReader bed(spec);
      io::BedRecord rec;
      while (bed.next(rec)) {
        if (rec.region.length() == 0 && window == 0) {
          throw InputError("{}:{}: empty interval {}:{}-{}", spec, rec.line, rec.region.chrom, rec.region.start,
                           rec.region.end);
        }
        add(rec.region, rec.centre(), rec.strand, fmt::format("{}:{}", spec, rec.line));
      }
    } else {
      add(genome.parse(spec, "--regions"), -1, '.', fmt::format("--regions {}", spec));
    }
  }
  return out;
}

}  // namespace seqdl::data
