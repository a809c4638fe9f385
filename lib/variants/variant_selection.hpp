// Which VCF records a run of `seqdl variants` scores: those inside --regions (BED files or region strings) and in
// its --shard K/N, so that a workflow can scatter one VCF over many jobs and gather their outputs. Torch-free.
//
// Shards split the genome, not the file: the contigs of the FASTA index, end to end in index order, are cut into N
// parts of equal length, and a record belongs to the part holding its POS. So the shards need no first pass over
// the VCF, every record falls in exactly one of them (records on contigs the genome lacks go to shard 1, which
// warns about them), and for a VCF sorted as the genome the shards' outputs concatenate in order.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "io/indexed_fasta.hpp"

namespace seqdl::variants {

// Immutable after construction (calls may run concurrently).
class VariantSelection {
 public:
  // regions: BED/narrowPeak files or region strings (chr1:1,000-2,000), checked against the genome; shard: "K/N"
  // or "". UsageError for a malformed shard, InputError/FormatError for regions that do not fit the genome.
  VariantSelection(const io::IndexedFasta& genome, const std::vector<std::string>& regions, const std::string& shard);

  bool everything() const { return !by_regions_ && shard_n_ == 1; }
  // Whether a record at 0-based position `pos` of `chrom` is scored.
  bool keep(const std::string& chrom, int64_t pos) const;
  // For the log: "2 regions (1.2 Mb), shard 3/8 (genome bases 2,000,001-3,000,000)"; "" for everything.
  std::string description() const;

 private:
  bool in_regions(const std::string& chrom, int64_t pos) const;
  bool in_shard(const std::string& chrom, int64_t pos) const;

  bool by_regions_ = false;
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> regions_;  // merged [start, end) per contig
  size_t region_count_ = 0;
  int64_t region_bases_ = 0;
  int shard_k_ = 1, shard_n_ = 1;
  std::map<std::string, int64_t> contig_offset_;  // first base of each contig in the genome laid end to end
  int64_t shard_lo_ = 0, shard_hi_ = 0;           // this shard's [lo, hi) of those bases
};

}  // namespace seqdl::variants
