// bigWig coverage: reading a track into the sink, and the header's contigs. Through libBigWig.

extern "C" {
#include <bigWig.h>
}

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>

#include "io/coverage_sink.hpp"
#include "io/coverage_writer.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

struct BigWigCloser {
  void operator()(bigWigFile_t* bw) const { bwClose(bw); }
};
using BigWigPtr = std::unique_ptr<bigWigFile_t, BigWigCloser>;

BigWigPtr open_bigwig(const std::string& path) {
  init_bigwig();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("cannot open {}: no such file", path);
  // bwIsBigWig reads the magic number quietly; bwOpen on another kind of file would print to stderr.
  if (bwIsBigWig(const_cast<char*>(path.c_str()), nullptr) != 1) throw FormatError("{}: not a bigWig file", path);
  bigWigFile_t* bw = bwOpen(const_cast<char*>(path.c_str()), nullptr, "r");
  if (bw == nullptr || bw->cl == nullptr) {
    if (bw != nullptr) bwClose(bw);
    throw FormatError("{}: cannot read this bigWig's header", path);
  }
  return BigWigPtr(bw);
}

// Adds [start, end) of one chromosome, in 8 Mb slices so that a slice's intervals stay small.
void read_span(bigWigFile_t* bw, const std::string& path, const char* chrom, int contig, int strand, int64_t start,
               int64_t end, CoverageSink& sink) {
  constexpr int64_t kSlice = int64_t{1} << 23;
  for (int64_t s = start; s < end; s += kSlice) {
    int64_t e = std::min(end, s + kSlice);
    bwOverlappingIntervals_t* iv =
        bwGetOverlappingIntervals(bw, const_cast<char*>(chrom), static_cast<uint32_t>(s), static_cast<uint32_t>(e));
    if (iv == nullptr) throw FormatError("{}: cannot read the intervals of {}", path, chrom);
    for (uint32_t i = 0; i < iv->l; ++i) {
      sink.count_records();
      float v = iv->value[i];
      if (v == 0 || v != v) continue;
      int64_t a = std::max<int64_t>(iv->start[i], s), b = std::min<int64_t>(iv->end[i], e);
      if (a < b && !sink.interval(contig, strand, a, b, v)) {
        bwDestroyOverlappingIntervals(iv);
        throw InputError("{}: {} runs past its end in the genome ({} bp)", path, chrom, sink.length(contig));
      }
    }
    bwDestroyOverlappingIntervals(iv);
  }
}

}  // namespace

void init_bigwig() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (bwInit(1 << 17) != 0) throw InputError("cannot initialise libBigWig");
  });
}

void bigwig_contigs(const std::string& path, std::vector<Contig>& contigs) {
  BigWigPtr bw = open_bigwig(path);
  for (int64_t i = 0; i < bw->cl->nKeys; ++i) contigs.push_back({bw->cl->chrom[i], bw->cl->len[i]});
}

void read_bigwig(const std::string& path, int strand, CoverageSink& sink) {
  BigWigPtr bw = open_bigwig(path);
  for (int64_t i = 0; i < bw->cl->nKeys; ++i) {
    const char* chrom = bw->cl->chrom[i];
    int64_t length = bw->cl->len[i];
    int contig = sink.find(chrom);
    if (contig < 0) {
      // Counted as one record per contig: a bigWig's contig without data is no evidence of a mismatch.
      bwOverlappingIntervals_t* iv = bwGetOverlappingIntervals(bw.get(), const_cast<char*>(chrom), 0,
                                                               static_cast<uint32_t>(length));
      uint32_t n = iv != nullptr ? iv->l : 0;
      if (iv != nullptr) bwDestroyOverlappingIntervals(iv);
      if (n > 0) {
        sink.count_records(n);
        sink.summary().missing_contigs[chrom] += n;
      }
      continue;
    }
    if (length > sink.length(contig)) {
      throw InputError("{}: contig {} is {} bp in its header but {} bp in the genome: the track is from another "
                       "assembly", path, chrom, length, sink.length(contig));
    }
    if (!sink.has_regions()) {
      read_span(bw.get(), path, chrom, contig, strand, 0, length, sink);
      continue;
    }
    for (auto [a, b] : sink.regions_of(contig)) {
      read_span(bw.get(), path, chrom, contig, strand, a, std::min(b, length), sink);
    }
  }
}

}  // namespace seqdl::io
