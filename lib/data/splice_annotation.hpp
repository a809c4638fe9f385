// Everything splice-related that a gene annotation gives, in one call: checked gene models, introns
// with motifs and junction evidence, splice sites, and the per-base labels that training, evaluation,
// `seqdl sites` and variant masking read. Torch-free.
//
//   data::SpliceOptions o;  o.annotation = "genes.gff3";  o.genome = "g.fa";
//   data::SpliceAnnotation a = data::load_splice_annotation(o);
//   for (const data::LabelledSpan& s : a.labels.labelled_spans({"I", "II"})) ...  // training blocks
//   const data::ChromosomeSites& whole = a.labels.chromosome("V");                 // genome-scan evaluation
//   a.labels.at("V", '-', 12345) == data::SiteClass::donor                          // masking lookup
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/gene_annotation.hpp"
#include "data/junctions.hpp"
#include "data/splice_labels.hpp"
#include "data/splice_sites.hpp"

namespace seqdl::data {

struct SpliceOptions {
  std::string annotation;               // GFF3 or GTF (plain, gzip, bgzip)
  std::optional<io::GffFormat> format;  // default: from the content
  std::string genome;                   // optional FASTA: contig checks and intron motifs (empty: neither)
  bool canonical = false;               // one transcript per gene: the longest (gene_annotation.hpp)
  std::vector<std::string> types;       // transcript feature types to keep (empty: all)
  std::string junctions;                // optional RNA-seq junction evidence (junctions.hpp)
  double min_count = kDefaultMinJunctionReads;
  std::string junction_source;          // GFF junctions: only this source
};

struct JunctionSummary {
  bool given = false;
  JunctionEvidence evidence;   // counts only: its introns were moved into SpliceAnnotation::introns
  uint64_t matched = 0;        // evidence introns that are annotated introns
  uint64_t added = 0;          // evidence introns that are not
  uint64_t off_genome = 0;     // evidence introns on a contig the genome lacks, reaching its last base, or
                               //   starting at its first (no exon base beside them): dropped
};

struct SpliceAnnotation {
  GeneModels models;
  std::vector<Intron> introns;    // annotated and evidence introns, sorted by chrom, start, end, strand
  std::vector<SpliceSite> sites;  // sorted by chrom, position, strand, class
  SpliceLabels labels;            // per-base labels from `sites` over the genes of `models`
  JunctionSummary junctions;
  bool has_genome = false;        // motifs were read
};

// Reads the annotation (and genome index, junctions), runs every check and derives the rest.
// Throws InputError/FormatError naming the file (and line) for unreadable or malformed input; problems
// with single records are counted in models.report instead. The result is read-only data: share it
// across threads freely.
SpliceAnnotation load_splice_annotation(const SpliceOptions& options);

}  // namespace seqdl::data
