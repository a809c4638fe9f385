// RNA-seq splice-junction evidence: introns with read counts, from either
//   - BED: chrom, start, end = the intron's bases, 0-based half-open (the first intron base, and one past
//     the last); column 5 = the read count (required, numeric); column 6 = the strand (required: '+' or
//     '-'; '.' records are counted and skipped). Other columns are ignored. (Not the BED12 "junction"
//     style of TopHat/regtools, whose interval includes the read anchors.)
//   - GFF3/GTF: `intron` features without a Parent (annotated introns of transcripts have one), the read
//     count in the score column (features without a score are counted and skipped), e.g. WormBase's
//     and FlyBase's `RNASeq_splice` features. `source` restricts them to one source column value.
// The format is told by the name (.bed / .gff / .gff3 / .gtf, optionally .gz), else by the first data
// line (9 columns with integer columns 4 and 5: GFF). Records of the same intron (chrom, start, end,
// strand) add up; then introns with fewer than `min_count` reads are dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/splice_sites.hpp"

namespace seqdl::data {

inline constexpr double kDefaultMinJunctionReads = 5;

struct JunctionOptions {
  std::string path;
  double min_count = kDefaultMinJunctionReads;
  std::string source;  // GFF only: keep this source (column 2); empty: any
};

struct JunctionEvidence {
  std::vector<Intron> introns;  // reads >= min_count, transcripts empty, motif unknown; sorted as derive_introns
  bool gff = false;             // read as GFF (else BED)
  uint64_t records = 0;         // junction records read (GFF: intron features considered)
  uint64_t unstranded = 0;      // records skipped for strand '.' or '?'
  uint64_t without_count = 0;   // GFF intron features skipped for a missing score
  uint64_t below_min = 0;       // distinct introns dropped for fewer than min_count reads
};

// Throws InputError (cannot open) or FormatError (malformed line, a BED record without a numeric count
// in column 5), naming file:line. Single-threaded.
JunctionEvidence read_junctions(const JunctionOptions& options);

// Puts the evidence onto introns (sorted as derive_introns gives them): an annotated intron gets its
// reads; an intron only the evidence has is added (no transcripts). The result stays sorted.
void add_junctions(std::vector<Intron>& introns, const JunctionEvidence& evidence);

}  // namespace seqdl::data
