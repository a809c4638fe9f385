// Random access to a FASTA (plain or bgzip) through its faidx index. The index (.fai, and .gzi for bgzip)
// is built beside the file when missing and the folder is writable.
//
// Threads: one IndexedFasta may be shared by any number of threads, every member being const. fetch() and
// fetch_padded() take an internal lock around htslib's faidx handle (which seeks and reads one shared
// stream and is not thread-safe), so concurrent fetches are correct but run one at a time; a thread that
// needs reads in parallel opens its own IndexedFasta (cheap: the index is read, not rebuilt). The other
// members read data fixed at construction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "io/region.hpp"

namespace seqdl::io {

struct Contig {
  std::string name;
  int64_t length = 0;
};

class IndexedFasta {
 public:
  // Opens the FASTA and its index, building the index first when it is missing. Throws UsageError for "-"
  // (stdin cannot be indexed); InputError for a missing or unreadable file, a plain-gzip file (which cannot
  // be indexed: the message says how to bgzip it), or a missing index in a folder that is not writable;
  // FormatError when the file is not a FASTA with equal-length lines per record, or the .fai does not match it.
  explicit IndexedFasta(std::string path);
  ~IndexedFasta();  // closes the file
  IndexedFasta(const IndexedFasta&) = delete;
  IndexedFasta& operator=(const IndexedFasta&) = delete;

  const std::string& path() const { return path_; }
  // Name and length of every sequence, in file order; the reference lives as long as this object.
  const std::vector<Contig>& contigs() const { return contigs_; }
  bool has(const std::string& chrom) const { return index_.count(chrom) != 0; }
  int64_t length(const std::string& chrom) const;  // InputError naming a few known contigs for an unknown one

  // Bases of [start, end) on chrom (0-based half-open), case as in the file, as a new string ("" when
  // start == end). InputError for an unknown contig or an interval not within it (naming the file and
  // interval); FormatError when the file cannot deliver the bases (an index out of date with the file).
  std::string fetch(const std::string& chrom, int64_t start, int64_t end) const;

  // Like fetch, but positions outside the contig become `pad` (windows running off a contig end); start
  // may be negative and end past the contig, with start <= end. InputError for an unknown contig.
  std::string fetch_padded(const std::string& chrom, int64_t start, int64_t end, char pad = 'N') const;

  // Checks a region against the index: known contig, an open end resolved to the contig's length, and
  // (unless allow_outside) within bounds; returns the resolved copy. InputError naming `what` (the source:
  // "--regions", "x.bed:3") otherwise.
  Region resolve(const Region& region, const std::string& what, bool allow_outside = false) const;

  // Parses a region string with this index's contig names (names containing ':' work unquoted); the result
  // is not resolved (an open end stays -1). FormatError naming `what` for a malformed string.
  Region parse(std::string_view text, const std::string& what) const;

 private:
  struct Handles;  // htslib's faidx and the mutex that serialises its reads (indexed_fasta.cpp)

  std::string path_;
  std::unique_ptr<Handles> h_;
  std::vector<Contig> contigs_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace seqdl::io
