// Unlabelled sequences from any input a command accepts, as one stream of (id, bases):
//   FASTA/FASTQ (plain, gzip, bgzip, or "-"), regions of an indexed FASTA (BED files or region strings,
//   optionally resized around their centre or summit), SAM/BAM/CRAM reads (with region, MAPQ and flag
//   filters), or a table's sequence column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/bam.hpp"

namespace seqdl::data {

enum class InputKind { fasta, fastq, alignments, table, unknown };

// What a file holds, from its content (htslib's format detection) and, for tables, its name.
InputKind detect_input(const std::string& path);

struct NamedSequence {
  std::string id;
  std::string seq;
  io::Region locus;  // genome regions: where seq lies (0-based half-open; chrom empty for other sources)
  char strand = '.';  // genome regions: '-' when seq is the reverse complement of the locus
};

struct SourceSpec {
  std::string input;                 // the file ("-" = stdin, FASTA/FASTQ)
  std::vector<std::string> regions;  // BED files and/or region strings: genome regions, or a read query for BAM
  int64_t window = 0;                // genome regions: resize to this many bases around the centre (0 = as given)
  bool stranded = false;             // genome regions: reverse-complement intervals on the '-' strand
  std::string reference;             // FASTA for CRAM decoding
  io::ReadFilter read_filter;
  bool read_orientation = false;     // reverse-strand reads as sequenced, not as aligned
  std::string sequence_column;       // tables: the column holding sequences
  std::string id_column;             // tables: the column holding ids (default: row numbers)
  int shard_k = 1, shard_n = 1;      // genome regions: only the k-th (1-based) of n contiguous parts of them
};

class SequenceSource {
 public:
  virtual ~SequenceSource() = default;
  virtual bool next(NamedSequence& out) = 0;
  // How many sequences ran off a contig end and were padded with N (genome regions only).
  virtual uint64_t padded_at_contig_ends() const { return 0; }
  // Where the first sequence yielded stands in the whole input before --shard (genome regions: the shard's first
  // region); the sequences after it are numbered on from there. Lets per-sequence seeds agree across shards.
  virtual uint64_t first_index() const { return 0; }
};

// Opens the right reader for the spec; UsageError/InputError/FormatError with clear messages otherwise.
std::unique_ptr<SequenceSource> open_sequences(const SourceSpec& spec);

}  // namespace seqdl::data
