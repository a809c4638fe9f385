// Gene models (genes -> transcripts -> exons) from a GFF3 or GTF file, checked record by record.
//
// GFF3: a transcript is any feature that is the Parent of an `exon` feature (mRNA, ncRNA, transcript,
// tRNA, pseudogenic_transcript, ...); its gene is the root of its Parent chain. Exons whose Parent is a
// gene directly make that gene a one-transcript gene (transcript id = gene id). An exon with several
// Parents belongs to each. GTF: exons group by transcript_id, transcripts by gene_id; optional
// `transcript` and `gene` lines give declared spans. A Parent, transcript or gene that no line declares
// is implied by its exons (counted, not an error: files cut from larger ones are full of them).
//
// Features may come in any order: everything is gathered, then sorted. Nothing is merged: every check
// below either leaves a transcript as it is or excludes it, and each exclusion is counted by kind with
// the first few records named (file:line), so that no label is ever silently wrong.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/gff.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::data {

struct Exon {
  int64_t start = 0, end = 0;  // 0-based half-open, genomic
  bool operator==(const Exon&) const = default;
};

struct Transcript {
  std::string id;
  std::string gene_id;  // root of the GFF3 Parent chain / GTF gene_id; its own id when it has no gene
  std::string type;     // the declaring feature's type (mRNA, ncRNA, ...); "" when only its exons name it
  std::string chrom;
  char strand = '.';
  int64_t start = 0, end = 0;  // declared span, else the exons' extent (0-based half-open)
  std::vector<Exon> exons;     // sorted by start: genomic order (on '-', transcription runs backwards)
  uint64_t line = 0;           // line of its declaration, else of its first exon

  int64_t exon_length() const;  // total bases in exons
};

struct Gene {
  std::string id, chrom;
  char strand = '+';
  int64_t start = 0, end = 0;       // extent of its kept transcripts
  std::vector<size_t> transcripts;  // indices into GeneModels::transcripts, sorted
};

// What the checks found. Kinds marked "excluded" drop the whole transcript.
enum class AnnotationIssue {
  exon_without_transcript,   // GFF3 exon without Parent, GTF exon without transcript_id: the exon is skipped
  implied_parent,            // a transcript or gene no line declares: built from its exons (informational)
  duplicate_id,              // a transcript or gene ID declared on two lines: excluded
  exon_off_transcript,       // an exon on another contig or strand than its transcript: excluded
  exon_outside_transcript,   // an exon beyond its declared transcript: excluded
  transcript_outside_gene,   // a transcript beyond its declared gene, or on another contig: excluded
  overlapping_exons,         // two exons of one transcript overlap or touch (no intron between): excluded
  no_strand,                 // a transcript with strand '.' or '?': excluded
  gene_strand_conflict,      // a transcript on the other strand than its gene (or than its gene's other
                             //   transcripts, for undeclared genes): excluded
  missing_contig,            // a contig the genome FASTA lacks: excluded
  outside_contig,            // an exon past the end of its contig: excluded
};
inline constexpr size_t kAnnotationIssueKinds = 11;

std::string_view issue_name(AnnotationIssue kind);         // "overlapping-exons"
std::string_view issue_description(AnnotationIssue kind);  // "transcripts with overlapping exons (excluded)"
bool issue_excludes(AnnotationIssue kind);                 // whether it drops the transcript

struct IssueTally {
  uint64_t count = 0;
  std::vector<std::string> examples;  // the first few, "file:line: transcript T1: ..."
};

struct AnnotationReport {
  std::string path;
  io::GffFormat format = io::GffFormat::gff3;
  uint64_t records = 0, exon_records = 0;
  uint64_t not_selected = 0;  // transcripts dropped by --canonical or the type filter (not an issue)
  std::array<IssueTally, kAnnotationIssueKinds> issues;

  static constexpr size_t kExamples = 5;
  void add(AnnotationIssue kind, std::string example);
  const IssueTally& operator[](AnnotationIssue kind) const { return issues[static_cast<size_t>(kind)]; }
};

struct AnnotationOptions {
  std::string path;                        // GFF3 or GTF, plain/gzip/bgzip
  std::optional<io::GffFormat> format;     // default: read from the content
  const io::IndexedFasta* genome = nullptr;  // when set: contig checks (missing contig, exon past the end)
  bool canonical = false;                  // keep one transcript per gene: the longest (see below)
  std::vector<std::string> types;          // keep transcripts of these feature types only (empty: all)
};

struct GeneModels {
  std::vector<Transcript> transcripts;  // kept; sorted by chrom, start, end, strand, id
  std::vector<Gene> genes;              // genes with a kept transcript; sorted by chrom, start, end, strand, id
  std::vector<Transcript> excluded;     // what a check excluded (each counted in report.issues)
  AnnotationReport report;
};

// Reads and checks a whole annotation. Chromosomes sort by name (byte order, as `sort -k1,1`).
// --canonical: per gene, the transcript with the largest total exon length; a tie goes to the smallest
// id (byte order). Throws InputError (cannot open; no exon features at all), FormatError (a malformed
// line, naming file:line). Single-threaded; the result is a plain value.
GeneModels read_gene_models(const AnnotationOptions& options);

}  // namespace seqdl::data
