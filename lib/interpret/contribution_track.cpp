#include "interpret/contribution_track.hpp"

#include <algorithm>
#include <map>

#include "io/track_writer.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {

ContributionTrack::ContributionTrack(std::string output, std::vector<io::Contig> contigs)
    : output_(std::move(output)), contigs_(std::move(contigs)), values_(std::tmpfile(), &std::fclose) {
  io::TrackFormat f = io::track_format_for(output_);
  if (f != io::TrackFormat::bigwig && f != io::TrackFormat::bedgraph) {
    throw UsageError("-o {}: with --genome the output is a track: name it .bw/.bigWig or .bedGraph", output_);
  }
  if (!values_) throw InputError("cannot create a temporary file for the contribution track: {}", errno_text(errno));
}

ContributionTrack::~ContributionTrack() = default;

void ContributionTrack::add(const SequenceBatch& batch, const float* values, int64_t length) {
  std::map<std::string, size_t> index;
  for (size_t c = 0; c < contigs_.size(); ++c) index[contigs_[c].name] = c;
  for (size_t i = 0; i < batch.size(); ++i) {
    const io::Region& locus = batch.loci[i];
    Window w{index.at(locus.chrom), locus.start, length, batch.strands[i] == '-', std::ftell(values_.get())};
    const float* row = values + static_cast<int64_t>(i) * length;
    if (std::fwrite(row, sizeof(float), static_cast<size_t>(length), values_.get()) != static_cast<size_t>(length)) {
      throw InputError("cannot write the contribution track's temporary file: {}", errno_text(errno));
    }
    windows_.push_back(w);
  }
}

std::vector<float> ContributionTrack::read(const Window& w) const {
  std::vector<float> v(static_cast<size_t>(w.length));
  if (std::fseek(values_.get(), w.offset, SEEK_SET) != 0 ||
      std::fread(v.data(), sizeof(float), v.size(), values_.get()) != v.size()) {
    throw InputError("cannot read back the contribution track's temporary file");
  }
  if (w.reverse) std::reverse(v.begin(), v.end());
  return v;
}

std::string ContributionTrack::finish() {
  std::sort(windows_.begin(), windows_.end(),
            [](const Window& a, const Window& b) { return std::tie(a.contig, a.start) < std::tie(b.contig, b.start); });
  auto writer = io::open_track_writer(io::track_format_for(output_), output_, {"contribution"}, contigs_, 0);
  // Per contig, sums and counts over the span still open; bases before the next window's start are final.
  size_t w = 0;
  while (w < windows_.size()) {
    const size_t contig = windows_[w].contig;
    const std::string& chrom = contigs_[contig].name;
    const int64_t contig_length = contigs_[contig].length;
    int64_t base = windows_[w].start;  // position of sums[0]
    std::vector<double> sums;
    std::vector<int> counts;
    auto flush = [&](int64_t until) {  // writes the bases [base, until) and drops them
      int64_t n = std::min<int64_t>(until - base, static_cast<int64_t>(sums.size()));
      for (int64_t k = 0; k < n; ++k) {
        int64_t p = base + k;
        if (counts[static_cast<size_t>(k)] == 0 || p < 0 || p >= contig_length) continue;
        auto value = static_cast<float>(sums[static_cast<size_t>(k)] / counts[static_cast<size_t>(k)]);
        writer->add(chrom, p, p + 1, &value);
      }
      sums.erase(sums.begin(), sums.begin() + n);
      counts.erase(counts.begin(), counts.begin() + n);
      base = until;
    };
    for (; w < windows_.size() && windows_[w].contig == contig; ++w) {
      const Window& win = windows_[w];
      if (win.start > base) flush(win.start);
      std::vector<float> v = read(win);
      const auto offset = static_cast<size_t>(win.start - base);
      if (sums.size() < offset + v.size()) {
        sums.resize(offset + v.size(), 0.0);
        counts.resize(offset + v.size(), 0);
      }
      for (size_t k = 0; k < v.size(); ++k) {
        sums[offset + k] += v[k];
        ++counts[offset + k];
      }
    }
    flush(base + static_cast<int64_t>(sums.size()));
  }
  writer->finish();
  return output_;
}

data::SourceSpec genome_windows(const std::string& genome, const std::vector<std::string>& regions, int64_t length,
                                const std::string& shard, std::vector<io::Contig>& contigs) {
  data::SourceSpec spec;
  spec.input = genome;
  spec.regions = regions;
  spec.window = length;
  if (!shard.empty()) std::tie(spec.shard_k, spec.shard_n) = parse_shard(shard, "--shard");
  contigs = io::IndexedFasta(genome).contigs();
  return spec;
}

}  // namespace seqdl::interpret
