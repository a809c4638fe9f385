#include "io/coverage_writer.hpp"

#include <algorithm>
#include <memory>

#include "io/bigwig_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

void write_bedgraph(const CoverageStore& store, int strand, AtomicFile& out) {
  std::string text;
  for (size_t c = 0; c < store.contigs().size(); ++c) {
    const std::string& chrom = store.contigs()[c].name;
    for (const auto& r : store.runs(c, strand)) {
      text += chrom;
      text += '\t';
      append_int(text, r.start);
      text += '\t';
      append_int(text, r.end);
      text += '\t';
      append_g6(text, r.value);
      text += '\n';
      if (text.size() > (1u << 20)) {
        out.write(text);
        text.clear();
      }
    }
  }
  out.write(text);
}

void write_bigwig(const CoverageStore& store, int strand, const AtomicFile& out) {
  BigWigWriter bw(out.temp_path(), out.target(), store.contigs());
  for (size_t c = 0; c < store.contigs().size(); ++c) {
    for (const auto& r : store.runs(c, strand)) bw.add(c, r.start, r.end, r.value);
  }
  bw.close();
}

}  // namespace

TrackFormat track_format_from_name(const std::string& path, const std::string& what) {
  if (path == "-") return TrackFormat::bedgraph;
  if (ends_with_ci(path, ".bw") || ends_with_ci(path, ".bigwig")) return TrackFormat::bigwig;
  if (ends_with_ci(path, ".bedgraph") || ends_with_ci(path, ".bdg") || ends_with_ci(path, ".bg")) {
    return TrackFormat::bedgraph;
  }
  throw UsageError("{}: cannot tell the track format of '{}': name it .bw/.bigWig or .bedGraph/.bdg", what, path);
}

std::string strand_path(const std::string& output, const std::string& strand) {
  size_t slash = output.find_last_of('/');
  size_t dot = output.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return output + "." + strand;
  return output.substr(0, dot) + "." + strand + output.substr(dot);
}

std::vector<std::string> write_coverage_tracks(const CoverageStore& store, const std::string& output) {
  TrackFormat format = track_format_from_name(output, "--output");
  int strands = store.strands();
  if (strands == 2 && output == "-") throw UsageError("--output: two strands need a file name, not '-'");
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (int s = 0; s < strands; ++s) {
    std::string path = strands == 1 ? output : strand_path(output, s == 0 ? "plus" : "minus");
    files.push_back(std::make_unique<AtomicFile>(
        path, format == TrackFormat::bigwig ? AtomicFile::Mode::path : AtomicFile::Mode::stream));
    if (format == TrackFormat::bigwig) {
      write_bigwig(store, s, *files.back());
    } else {
      write_bedgraph(store, s, *files.back());
    }
  }
  std::vector<std::string> written;
  for (auto& f : files) {
    f->commit();
    written.push_back(f->target());
  }
  return written;
}

}  // namespace seqdl::io
