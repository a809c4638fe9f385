// Random access to a FASTA (plain or bgzip) through its faidx index. The index (.fai, and .gzi for bgzip)
// is built beside the file when missing and the folder is writable.
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
  explicit IndexedFasta(std::string path);
  ~IndexedFasta();
  IndexedFasta(const IndexedFasta&) = delete;
  IndexedFasta& operator=(const IndexedFasta&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<Contig>& contigs() const { return contigs_; }  // in file order
  bool has(const std::string& chrom) const { return index_.count(chrom) != 0; }
  int64_t length(const std::string& chrom) const;  // InputError for an unknown contig

  // Bases of [start, end) on chrom (0-based half-open), case as in the file. The interval must lie
  // within the contig (InputError otherwise, naming `what`).
  std::string fetch(const std::string& chrom, int64_t start, int64_t end) const;

  // Like fetch, but positions outside the contig become `pad` (windows running off a contig end).
  std::string fetch_padded(const std::string& chrom, int64_t start, int64_t end, char pad = 'N') const;

  // Checks a region against the index: known contig, an open end resolved to the contig's length, and
  // (unless allow_outside) within bounds. `what` names the source in messages ("--regions", "x.bed:3").
  Region resolve(const Region& region, const std::string& what, bool allow_outside = false) const;

  // Parses a region string with this index's contig names (names containing ':' work unquoted).
  Region parse(std::string_view text, const std::string& what) const;

 private:
  struct Handles;  // htslib's faidx and the mutex that serialises its reads (indexed_fasta.cpp)

  std::string path_;
  std::unique_ptr<Handles> h_;
  std::vector<Contig> contigs_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace seqdl::io
