#include "io/bam.hpp"

#include <htslib/hts.h>
#include <htslib/sam.h>

#include <algorithm>

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::io {

BamReader::BamReader(std::string path, std::string reference, ReadFilter filter)
    : path_(std::move(path)), filter_(filter) {
  fp_ = hts_open(path_.c_str(), "r");
  if (fp_ == nullptr) throw InputError("cannot open {}: {}", path_, errno_text(errno));
  const htsFormat* fmt = hts_get_format(fp_);
  if (fmt->category != sequence_data || (fmt->format != sam && fmt->format != bam && fmt->format != cram)) {
    hts_close(fp_);
    fp_ = nullptr;
    throw FormatError("{}: not a SAM, BAM or CRAM file", path_);
  }
  if (fmt->format == cram) {
    if (reference.empty()) {
      hts_close(fp_);
      fp_ = nullptr;
      throw UsageError("{} is CRAM: give the reference FASTA it was compressed against (--reference)", path_);
    }
    if (hts_set_fai_filename(fp_, reference.c_str()) != 0) {
      hts_close(fp_);
      fp_ = nullptr;
      throw InputError("cannot use {} as the CRAM reference (missing or unindexable)", reference);
    }
  }
  hdr_ = sam_hdr_read(fp_);
  if (hdr_ == nullptr) {
    hts_close(fp_);
    fp_ = nullptr;
    throw FormatError("{}: cannot read the SAM/BAM/CRAM header", path_);
  }
  for (int i = 0; i < sam_hdr_nref(hdr_); ++i) {
    contigs_.push_back({sam_hdr_tid2name(hdr_, i), sam_hdr_tid2len(hdr_, i)});
  }
  b_ = bam_init1();
}

BamReader::~BamReader() {
  if (b_ != nullptr) bam_destroy1(b_);
  if (itr_ != nullptr) hts_itr_destroy(itr_);
  if (idx_ != nullptr) hts_idx_destroy(idx_);
  if (hdr_ != nullptr) sam_hdr_destroy(hdr_);
  if (fp_ != nullptr) hts_close(fp_);
}

Region BamReader::resolve(const Region& region, const std::string& what) const {
  auto it = std::find_if(contigs_.begin(), contigs_.end(), [&](const Contig& c) { return c.name == region.chrom; });
  if (it == contigs_.end()) throw InputError("{}: unknown contig '{}' (not in the header of {})", what, region.chrom, path_);
  Region r = region;
  if (r.open_ended()) r.end = it->length;
  if (r.start >= it->length || r.end > it->length) {
    throw InputError("{}: region {} runs past the end of {} ({} bp)", what, region.to_string(), r.chrom, it->length);
  }
  return r;
}

void BamReader::set_region(const std::string& region_text, const std::string& what) {
  set_region(parse_region(region_text, what, [this](const std::string& name) {
    return std::any_of(contigs_.begin(), contigs_.end(), [&](const Contig& c) { return c.name == name; });
  }));
}

void BamReader::set_region(const Region& region) {
  Region r = resolve(region, "--region");
  if (idx_ == nullptr) {
    idx_ = sam_index_load(fp_, path_.c_str());
    if (idx_ == nullptr) {
      throw InputError("{} has no index (.bai, .csi or .crai) for region queries: run 'samtools index {}'", path_, path_);
    }
  }
  if (itr_ != nullptr) hts_itr_destroy(itr_);
  int tid = sam_hdr_name2tid(hdr_, r.chrom.c_str());
  itr_ = sam_itr_queryi(idx_, tid, r.start, r.end);
  if (itr_ == nullptr) throw InputError("{}: cannot query region {}", path_, r.to_string());
}

bool BamReader::read_next() {
  int ret = itr_ != nullptr ? sam_itr_next(fp_, itr_, b_) : sam_read1(fp_, hdr_, b_);
  if (ret >= 0) {
    ++records_;
    return true;
  }
  if (ret == -1) return false;
  throw FormatError("{}: corrupt or truncated data after record {}", path_, records_);
}

bool BamReader::passes() const {
  const auto& c = b_->core;
  if ((c.flag & filter_.require_flags) != filter_.require_flags) return false;
  if ((c.flag & filter_.exclude_flags) != 0) return false;
  return c.qual >= filter_.min_mapq;
}

bool BamReader::next(ReadRecord& read, bool read_orientation) {
  while (read_next()) {
    if (!passes()) continue;
    const auto& c = b_->core;
    if (c.l_qseq == 0) {
      ++no_sequence_;
      continue;
    }
    read.name = bam_get_qname(b_);
    read.flag = c.flag;
    read.mapq = c.qual;
    read.chrom = c.tid >= 0 ? sam_hdr_tid2name(hdr_, c.tid) : "*";
    read.pos = c.pos;  // unmapped reads placed beside their mate keep the mate's position, as in SAM
    read.end = (c.flag & BAM_FUNMAP) ? c.pos : bam_endpos(b_);
    const uint8_t* s = bam_get_seq(b_);
    read.seq.resize(static_cast<size_t>(c.l_qseq));
    for (int i = 0; i < c.l_qseq; ++i) read.seq[i] = seq_nt16_str[bam_seqi(s, i)];
    const uint8_t* q = bam_get_qual(b_);
    read.qual.clear();
    if (q[0] != 0xff) {
      read.qual.resize(static_cast<size_t>(c.l_qseq));
      for (int i = 0; i < c.l_qseq; ++i) read.qual[i] = static_cast<char>(q[i] + 33);
    }
    if (read_orientation && read.reverse()) {
      encode::reverse_complement_in_place(read.seq);
      std::reverse(read.qual.begin(), read.qual.end());
    }
    return true;
  }
  return false;
}

bool BamReader::next_span(AlignmentSpan& span) {
  if (!read_next()) return false;
  const auto& c = b_->core;
  span.tid = c.tid;
  span.pos = c.pos;
  span.flag = c.flag;
  span.mapq = c.qual;
  span.end = (c.flag & BAM_FUNMAP) || c.tid < 0 ? c.pos : bam_endpos(b_);
  span.passes = passes();
  return true;
}

std::vector<uint32_t> BamReader::coverage(const Region& region) {
  Region r = resolve(region, "coverage");
  set_region(r);
  std::vector<uint32_t> depth(static_cast<size_t>(r.length()), 0);
  while (read_next()) {
    if (!passes() || (b_->core.flag & BAM_FUNMAP)) continue;
    int64_t ref = b_->core.pos;
    const uint32_t* cigar = bam_get_cigar(b_);
    for (uint32_t k = 0; k < b_->core.n_cigar; ++k) {
      int op = bam_cigar_op(cigar[k]);
      int64_t len = bam_cigar_oplen(cigar[k]);
      int type = bam_cigar_type(op);  // bit 1: consumes the reference; bit 0: consumes the query
      if ((type & 3) == 3) {          // aligned: M, =, X
        int64_t a = std::max(ref, r.start), e = std::min(ref + len, r.end);
        for (int64_t p = a; p < e; ++p) ++depth[static_cast<size_t>(p - r.start)];
      }
      if (type & 2) ref += len;
    }
  }
  if (itr_ != nullptr) {
    hts_itr_destroy(itr_);
    itr_ = nullptr;
  }
  return depth;
}

}  // namespace seqdl::io
