// BAM/SAM/CRAM reads through htslib: name, sequence, qualities, flags, MAPQ and position; region queries
// through the index; MAPQ and flag filters; reverse-strand reads optionally returned in read orientation;
// per-base coverage over a region.
//
// Threads: a reader is used by one thread at a time (it holds htslib's stream position and one record
// buffer); distinct readers, even of the same file, are independent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"
#include "io/region.hpp"

namespace seqdl::io {

struct ReadFilter {
  int min_mapq = 0;
  uint16_t require_flags = 0;      // every one of these flags must be set
  uint16_t exclude_flags = 0x900;  // none of these may be set (default: secondary and supplementary)
};

struct ReadRecord {
  std::string name;
  std::string seq;   // as stored (reference orientation) unless read orientation was asked for
  std::string qual;  // phred+33; empty when the file has none
  uint16_t flag = 0;
  int mapq = 0;
  std::string chrom;  // "*" when unplaced
  int64_t pos = -1;   // 0-based leftmost reference position (SAM POS - 1); -1 when unplaced
  int64_t end = -1;   // 0-based exclusive end of the alignment on the reference (pos when unmapped)
  bool reverse() const { return (flag & 0x10) != 0; }
};

// Where a record aligns, without its name, sequence or qualities: what counting needs.
struct AlignmentSpan {
  int tid = -1;        // index into contigs(); -1 when unplaced
  int64_t pos = -1;    // 0-based leftmost aligned reference base
  int64_t end = -1;    // 0-based exclusive end (pos + reference-consuming CIGAR length: M D N = X)
  uint16_t flag = 0;
  int mapq = 0;
  bool passes = false;  // passes the reader's filter
  bool reverse() const { return (flag & 0x10) != 0; }
};

class BamReader {
 public:
  // Opens the file and reads its header. reference: FASTA for CRAM decoding (required for CRAM). Throws
  // InputError when the file cannot be opened or the reference cannot be used, FormatError when it is not
  // SAM/BAM/CRAM or its header is unreadable, UsageError for CRAM without a reference.
  explicit BamReader(std::string path, std::string reference = "", ReadFilter filter = {});
  ~BamReader();  // closes the file and frees htslib's header, index and record
  BamReader(const BamReader&) = delete;
  BamReader& operator=(const BamReader&) = delete;

  // Restricts reading to reads overlapping a region (needs the .bai/.csi/.crai index, loaded on the first
  // call); replaces any earlier region. InputError for a contig not in the header, a region past its end,
  // a missing index; the text form also FormatError for a malformed region string (`what` names its source).
  void set_region(const Region& region);
  void set_region(const std::string& region_text, const std::string& what);

  // Fills `read` with the next read that passes the filter (every field is overwritten); false at the end.
  // read_orientation: reverse-strand reads come back reverse-complemented, qualities reversed. Reads with no
  // stored sequence ('*') are skipped and counted. FormatError for corrupt or truncated data.
  bool next(ReadRecord& read, bool read_orientation = false);

  // The next record, filtered or not (span.passes says), records without a stored sequence included; the
  // fast path for counting (nothing is copied). Mixing it with next() is allowed.
  bool next_span(AlignmentSpan& span);

  const std::vector<Contig>& contigs() const { return contigs_; }  // from the header; lives as long as this
  uint64_t records_read() const { return records_; }
  const std::string& path() const { return path_; }
  uint64_t skipped_without_sequence() const { return no_sequence_; }

  // Per-base depth over [region.start, region.end) counting reads that pass the filter, aligned bases only
  // (M, =, X; deletions and skips are not counted), as `samtools depth -a` does. Uses the index as
  // set_region does (same errors) and clears the region afterwards: a following next() reads on from wherever
  // the query left the stream, so call set_region before reading records again.
  std::vector<uint32_t> coverage(const Region& region);

 private:
  bool read_next();  // the next record into b_, honouring the region iterator; false at the end
  bool passes() const;
  Region resolve(const Region& region, const std::string& what) const;

  struct Handles;  // htslib's file, header, index, region iterator and record buffer (bam.cpp)

  std::string path_;
  ReadFilter filter_;
  std::unique_ptr<Handles> h_;
  std::vector<Contig> contigs_;
  uint64_t records_ = 0;
  uint64_t no_sequence_ = 0;
};

}  // namespace seqdl::io
