// `seqdl sites`: splice sites or introns of an annotation as BED, with a summary on stderr.
//
// Sites (BED6, sorted as `sort -k1,1 -k2,2n`, then strand and class): chrom, position, position + 1,
// name = "acceptor:T1,T2" / "donor:T1,T2" (the transcripts with the site) or "donor:reads=N" for a site
// only junction evidence has, score = number of transcripts, strand. A base that is a site of both
// classes (a label conflict) has one line per class here; the labels resolve it (splice_labels.hpp).
// Introns (BED6+2, +3 with junctions): chrom, start, end (the intron's bases), name = the transcripts
// ("junction" for evidence only), score = number of transcripts, strand, motif (GT-AG, GC-AG, AT-AC,
// other), number of transcripts, [junction reads].
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "data/splice_annotation.hpp"

namespace seqdl::data {

struct SitesJob {
  SpliceOptions splice;
  std::string output = "-";         // BED path, "-" for stdout
  bool introns = false;             // write introns instead of sites (needs splice.genome)
  std::vector<std::string> chroms;  // only these contigs (empty: all)
};

struct SitesSummary {
  uint64_t genes = 0, transcripts = 0, spliced_transcripts = 0, excluded = 0;
  uint64_t acceptors = 0, donors = 0, evidence_sites = 0;       // evidence_sites: only junctions have them
  uint64_t introns = 0, evidence_introns = 0;
  std::array<uint64_t, kIntronMotifs> motifs{};                 // introns per IntronMotif
  uint64_t donors_gt_gc = 0, acceptors_ag = 0;                  // sites with the canonical dinucleotide
  uint64_t records_written = 0;
};

// Loads, checks, writes the BED atomically, logs the summary and every warning kind. Throws UsageError
// (--introns without a genome; a --chroms contig the genome lacks), InputError, FormatError.
SitesSummary run_sites(const SitesJob& job);

// The summary of what `job` selects from `a` (counts over job.chroms), without writing anything.
SitesSummary summarize(const SpliceAnnotation& a, const std::vector<std::string>& chroms, const std::string& genome);

}  // namespace seqdl::data
