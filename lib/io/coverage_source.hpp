// Coverage from a file, counted in one streaming pass into a CoverageStore (see coverage_store.hpp for the
// memory bound). Sources and what one record contributes:
//   bam        SAM/BAM/CRAM: the 5' end of each read that passes the filters: POS for a forward read, the
//              alignment end - 1 for a reverse read (reference-consuming CIGAR operations M D N = X; soft and
//              hard clips are not part of the alignment), as bedtools bamtobed and ENCODE's count tracks do.
//              Paired-end reads: each mate's 5' end, so a properly paired fragment gives its two cut sites
//              (improperly paired reads are skipped unless proper_pairs_only is off).
//   bed        reads as BED6 / tagAlign: start on '+', end - 1 on '-' (the strand column is required).
//   bedpe      fragments: chrom start end (3 columns, as MACS3 writes), or BEDPE chrom1 start1 end1 chrom2
//              start2 end2 ... of one pair (the fragment spans both mates); cut sites start ('+') and end - 1 ('-').
//   fragments  10x fragments.tsv(.gz): chrom start end barcode [count]; cut sites as bedpe, weighted by count.
//   bedgraph   a track as given (chrom start end value); intervals that overlap add up.
//   bigwig     a track as given.
// Every 5' end or cut site then moves by the strand's shift (CutShift), in genome coordinates: ATAC's Tn5
// convention "+4/-4" (ChromBPNet; the yeast data's PROVENANCE) is {plus = 4, minus = -4}: the + cut at
// start + 4 and the - cut at (end - 1) - 4; ENCODE's tagAlign "+4/-5" is {4, -5}.
// Tracks: one file is a combined (unstranded) track; two files are the plus and the minus strand.
// Read sources: every file is counted and the counts added (pooled replicates).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/bam.hpp"
#include "io/coverage_store.hpp"
#include "io/region.hpp"
#include "util/choices.hpp"

namespace seqdl::io {

enum class CoverageFormat { automatic, bam, bed, bedpe, fragments, bedgraph, bigwig };
inline constexpr Choices<CoverageFormat, 7> kCoverageFormatChoices{
    {{"auto", CoverageFormat::automatic}, {"bam", CoverageFormat::bam}, {"bed", CoverageFormat::bed},
     {"bedpe", CoverageFormat::bedpe}, {"fragments", CoverageFormat::fragments}, {"bedgraph", CoverageFormat::bedgraph},
     {"bigwig", CoverageFormat::bigwig}}};

// "auto", "bam", "bed", ... (UsageError naming `what` otherwise); and back.
inline CoverageFormat parse_coverage_format(const std::string& text, const std::string& what) {
  return parse_choice(kCoverageFormatChoices, text, what);
}
inline const char* coverage_format_name(CoverageFormat format) {
  return choice_name(kCoverageFormatChoices, format).data();
}

// The format a file name suggests (.bam .cram .sam; .bed .tagAlign; .bedpe; .tsv .frag with "fragments" or
// .frag; .bedGraph .bdg; .bw .bigWig; each optionally .gz), or automatic when none does.
CoverageFormat format_from_name(const std::string& path);

struct CutShift {
  int64_t plus = 0, minus = 0;
};
// "4,-4" or "+4,-5" (one number: the same shift on both strands). UsageError naming `what`.
CutShift parse_shift(const std::string& text, const std::string& what);

// The filters for counting reads: unmapped, secondary, QC-failed, duplicate and supplementary records are
// excluded (0xF04); no MAPQ minimum.
inline ReadFilter default_coverage_filter() { return ReadFilter{0, 0, 0xF04}; }

struct CoverageOptions {
  std::vector<std::string> inputs;  // see above: read files are pooled; tracks are [combined] or [plus, minus]
  CoverageFormat format = CoverageFormat::automatic;  // automatic: from each file's name
  StrandMode strands = StrandMode::both;
  CutShift shift;                     // read sources only
  ReadFilter filter = default_coverage_filter();  // bam only
  bool proper_pairs_only = true;     // bam: paired reads must be properly paired (flag 0x2)
  bool fragment_counts = true;       // fragments: weight each row by its count column
  std::string reference;             // CRAM's reference FASTA
  std::vector<Region> regions;       // only coverage inside these (bam: index queries); empty = everything
  size_t buffer_points = size_t{1} << 22;
};

struct CoverageSummary {
  uint64_t records = 0;          // alignments, lines or track intervals read
  uint64_t counted = 0;          // 5' ends / cut sites / intervals stored
  uint64_t filtered = 0;         // failed a MAPQ, flag or proper-pair filter
  uint64_t outside_regions = 0;  // fell outside the regions asked for
  uint64_t off_contig_end = 0;   // a shift moved the cut site off its contig
  uint64_t mate_pairs_split = 0; // bedpe: mates on different contigs
  std::map<std::string, uint64_t> missing_contigs;  // records on contigs the genome lacks, per contig
  uint64_t missing_contig_records() const;
};

// The contigs a source itself declares (the BAM header, the bigWig header); UsageError for text formats,
// which need the genome's (--genome or --chrom-sizes).
std::vector<Contig> source_contigs(const CoverageOptions& options);

// Reads a chrom.sizes or .fai file (name, length, ...). FormatError (file:line) for a missing or non-positive length,
// an empty name or a name listed twice; InputError for a file that lists no contig.
std::vector<Contig> read_chrom_sizes(const std::string& path);

// Counts every input against `contigs` (usually the genome's). Records on contigs not in `contigs` are
// skipped and counted in the summary (warned about by the caller); it is an InputError when no record lies
// on one of them (a different genome), when a record or a BAM/bigWig header contig runs past the length
// `contigs` give it, and when an input holds no record at all. FormatError on malformed lines (file:line).
CoverageStore count_coverage(const CoverageOptions& options, const std::vector<Contig>& contigs,
                             CoverageSummary& summary);

// Logs the summary's warnings (missing contigs, shifted off a contig end, split mate pairs) for `what`.
void warn_coverage_summary(const CoverageSummary& summary, const std::string& what);

}  // namespace seqdl::io
