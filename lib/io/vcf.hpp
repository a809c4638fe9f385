// VCF/BCF records through htslib, one ALT allele at a time (multi-allelic records are split), with a
// check of REF against the genome that reports mismatches rather than hiding them.
//
// Threads: a reader is used by one thread at a time; distinct readers are independent. check_ref may run on
// many threads at once (IndexedFasta::fetch is safe to share).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"

namespace seqdl::io {

struct VariantAllele {
  std::string chrom;
  int64_t pos = 0;  // 0-based position of REF's first base
  std::string id;   // "." when absent
  std::string ref, alt;
  int allele = 1;        // which ALT of the record (1-based)
  int n_alt = 1;         // ALT alleles in the record
  uint64_t record = 0;   // 1-based record number in the file, for messages

  // <DEL>, <*>, breakends, '*' (a deletion spanning here) and missing '.': not a sequence to score.
  bool symbolic() const;
  bool is_snv() const { return ref.size() == 1 && alt.size() == 1 && !symbolic(); }
  std::string to_string() const;  // "chr1:1234 A>G"
};

class VcfReader {
 public:
  // Opens a VCF or BCF (plain or bgzip) and reads its header. InputError when it cannot be opened,
  // FormatError when it is not VCF/BCF or the header is unreadable.
  explicit VcfReader(std::string path);
  ~VcfReader();  // closes the file and frees htslib's header and record
  VcfReader(const VcfReader&) = delete;
  VcfReader& operator=(const VcfReader&) = delete;

  // The next allele (a copy the caller owns), false at the end. A record with k ALT alleles gives k alleles
  // in turn; one without ALT ('.') gives one symbolic allele with allele = 0. FormatError on a malformed
  // record (undefined contigs and INFO tags are accepted, as htslib does).
  bool next(VariantAllele& allele);
  const std::string& path() const { return path_; }
  // The header's ##contig names in order, plus any undefined contig htslib has added for records read so far.
  std::vector<std::string> header_contigs() const;
  uint64_t records_read() const { return records_; }

 private:
  struct Handles;  // htslib's file, header and record buffer (vcf.cpp)

  std::string path_;
  std::unique_ptr<Handles> h_;
  uint64_t records_ = 0;
  std::vector<VariantAllele> pending_;  // the remaining alleles of the current record
  size_t next_pending_ = 0;
};

enum class RefCheck { match, mismatch, unknown_contig, past_end };

// Compares an allele's REF with the genome (case-insensitively). `genome_ref`, when given, receives the
// genome's bases for match and mismatch (untouched otherwise). Throws only what IndexedFasta::fetch throws
// for an unreadable genome.
RefCheck check_ref(const VariantAllele& allele, const IndexedFasta& genome, std::string* genome_ref = nullptr);

}  // namespace seqdl::io
