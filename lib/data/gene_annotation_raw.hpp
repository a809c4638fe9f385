// Internal to gene_annotation*.cpp: the records of an annotation as read, before they are resolved into
// checked gene models.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/gene_annotation.hpp"

namespace seqdl::data::detail {

// A feature line that declares an ID (GFF3), or a GTF transcript / gene line.
struct Declared {
  std::string type, seqid;
  char strand = '.';
  int64_t start = 0, end = 0;
  std::string parent;  // GFF3: the first Parent; GTF transcript: its gene_id
  uint64_t line = 0;
  int copies = 1;      // lines declaring this id (more than one: a duplicate)
};

struct ExonRecord {
  std::string transcript, seqid;
  char strand = '.';
  int64_t start = 0, end = 0;
  uint64_t line = 0;
};

struct RawAnnotation {
  io::GffFormat format = io::GffFormat::gff3;
  std::unordered_map<std::string, Declared> features;  // GFF3: every ID; GTF: transcript lines
  std::unordered_map<std::string, Declared> gtf_genes;  // GTF gene lines
  std::unordered_map<std::string, std::string> gtf_gene_of;  // GTF transcript_id -> gene_id (from exons)
  std::unordered_set<std::string> gtf_two_genes;        // GTF transcript_ids seen with two gene_ids
  std::vector<ExonRecord> exons;                        // in file order
};

// Reads every record of the file (throws FormatError/InputError), counting skipped exons in `report`.
RawAnnotation read_raw_annotation(const AnnotationOptions& options, AnnotationReport& report);

}  // namespace seqdl::data::detail
