// Splice sites and introns from gene models, SpliceAI's convention, on the transcribed strand:
//   donor    = the last base of an exon that an intron follows (every exon but the last, in transcription order)
//   acceptor = the first base of an exon that an intron precedes (every exon but the first)
// So for an intron occupying bases [s, e) (0-based half-open, genomic), the donor is s - 1 and the
// acceptor e on '+', and the donor e and the acceptor s - 1 on '-'. Single-exon transcripts have none.
//
// An intron's motif is its first and last two bases read on the transcribed strand (reverse complement
// on '-'): GT-AG, GC-AG, AT-AC or other.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/gene_annotation.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::data {

enum class SiteClass : uint8_t { neither = 0, acceptor = 1, donor = 2 };  // the label values

std::string_view site_class_name(SiteClass c);  // "neither", "acceptor", "donor"

enum class IntronMotif : uint8_t { gt_ag, gc_ag, at_ac, other, unknown };  // unknown: no genome read
inline constexpr size_t kIntronMotifs = 5;

std::string_view motif_name(IntronMotif m);  // "GT-AG", "GC-AG", "AT-AC", "other", "unknown"

// The motif of an intron's bases as read 5'->3' on its transcribed strand (case-insensitive).
IntronMotif classify_motif(std::string_view intron_on_transcribed_strand);

struct Intron {
  std::string chrom;
  int64_t start = 0, end = 0;            // the intron's bases, 0-based half-open
  char strand = '+';
  std::vector<std::string> transcripts;  // annotated transcripts that splice it out, sorted; empty: evidence only
  double reads = 0;                      // junction read count (0 without evidence)
  IntronMotif motif = IntronMotif::unknown;

  int64_t donor() const { return strand == '+' ? start - 1 : end; }     // genomic position of the donor base
  int64_t acceptor() const { return strand == '+' ? end : start - 1; }  // and of the acceptor base
  bool annotated() const { return !transcripts.empty(); }
};

struct SpliceSite {
  std::string chrom;
  int64_t position = 0;  // 0-based genomic position of the labelled base
  char strand = '+';
  SiteClass cls = SiteClass::donor;
  std::vector<std::string> transcripts;  // annotated transcripts with this site, sorted; empty: evidence only
  double reads = 0;                      // junction reads over every intron using the site (0 without evidence)

  bool annotated() const { return !transcripts.empty(); }
};

// Unique introns of the transcripts, each with every transcript that has it, sorted by chrom (byte
// order), start, end, strand. Motifs stay unknown until read_motifs.
std::vector<Intron> derive_introns(const std::vector<Transcript>& transcripts);

// Reads each intron's motif from the genome (introns on contigs the genome lacks stay unknown).
void read_motifs(std::vector<Intron>& introns, const io::IndexedFasta& genome);

// The two intron bases next to a site, read 5'->3' on its strand: "GT" for a canonical donor (the
// intron's first two bases), "AG" for a canonical acceptor (its last two). Uppercase; "" when they lie
// outside the contig or the contig is missing.
std::string site_dinucleotide(const SpliceSite& site, const io::IndexedFasta& genome);

// Donor and acceptor sites of the introns, one record per (chrom, position, strand, class), sorted by
// chrom, position, strand, class; transcripts merged, reads summed.
std::vector<SpliceSite> sites_of(const std::vector<Intron>& introns);

}  // namespace seqdl::data
