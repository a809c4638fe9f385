#include "io/bam.hpp"

#include <algorithm>

#include "encode/bases.hpp"
#include "io/hts_handles.hpp"
#include "util/error.hpp"

namespace seqdl::io {

struct BamReader::Handles {
  // Members are destroyed in reverse order: the record, iterator and index before the header and the file.
  hts::File fp;
  hts::SamHeader hdr;
  hts::Index idx;      // loaded by the first region query
  hts::Iterator itr;   // the current region query, if any
  hts::BamRecord b;    // the record being read
};

BamReader::BamReader(std::string path, std::string reference, ReadFilter filter)
    : path_(std::move(path)), filter_(filter), h_(std::make_unique<Handles>()) {
  h_->fp.reset(hts_open(path_.c_str(), "r"));
  if (!h_->fp) throw InputError("cannot open {}: {}", path_, errno_text(errno));
  const htsFormat* fmt = hts_get_format(h_->fp.get());
  if (fmt->category != sequence_data || (fmt->format != sam && fmt->format != bam && fmt->format != cram)) {
    throw FormatError("{}: not a SAM, BAM or CRAM file", path_);
  }
  if (fmt->format == cram) {
    if (reference.empty()) {
      throw UsageError("{} is CRAM: give the reference FASTA it was compressed against (--reference)", path_);
    }
    if (hts_set_fai_filename(h_->fp.get(), reference.c_str()) != 0) {
      throw InputError("cannot use {} as the CRAM reference (missing or unindexable)", reference);
    }
  }
  h_->hdr.reset(sam_hdr_read(h_->fp.get()));
  if (!h_->hdr) throw FormatError("{}: cannot read the SAM/BAM/CRAM header", path_);
  for (int i = 0; i < sam_hdr_nref(h_->hdr.get()); ++i) {
    contigs_.push_back({sam_hdr_tid2name(h_->hdr.get(), i), sam_hdr_tid2len(h_->hdr.get(), i)});
  }
  h_->b.reset(bam_init1());
  if (!h_->b) throw InputError("{}: cannot allocate a record buffer (out of memory)", path_);
}

BamReader::~BamReader() = default;

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
  if (!h_->idx) {
    h_->idx.reset(sam_index_load(h_->fp.get(), path_.c_str()));
    if (!h_->idx) {
      throw InputError("{} has no index (.bai, .csi or .crai) for region queries: run 'samtools index {}'", path_, path_);
    }
  }
  h_->itr.reset();
  int tid = sam_hdr_name2tid(h_->hdr.get(), r.chrom.c_str());
  h_->itr.reset(sam_itr_queryi(h_->idx.get(), tid, r.start, r.end));
  if (!h_->itr) throw InputError("{}: cannot query region {}", path_, r.to_string());
}

bool BamReader::read_next() {
  int ret = h_->itr ? sam_itr_next(h_->fp.get(), h_->itr.get(), h_->b.get())
                    : sam_read1(h_->fp.get(), h_->hdr.get(), h_->b.get());
  if (ret >= 0) {
    ++records_;
    return true;
  }
  if (ret == -1) return false;
  throw FormatError("{}: corrupt or truncated data after record {}", path_, records_);
}

bool BamReader::passes() const {
  const auto& c = h_->b->core;
  if ((c.flag & filter_.require_flags) != filter_.require_flags) return false;
  if ((c.flag & filter_.exclude_flags) != 0) return false;
  return c.qual >= filter_.min_mapq;
}

bool BamReader::next(ReadRecord& read, bool read_orientation) {
  while (read_next()) {
    if (!passes()) continue;
    bam1_t* b = h_->b.get();
    const auto& c = b->core;
    if (c.l_qseq == 0) {
      ++no_sequence_;
      continue;
    }
    read.name = bam_get_qname(b);
    read.flag = c.flag;
    read.mapq = c.qual;
    read.chrom = c.tid >= 0 ? sam_hdr_tid2name(h_->hdr.get(), c.tid) : "*";
    read.pos = c.pos;  // unmapped reads placed beside their mate keep the mate's position, as in SAM
    read.end = (c.flag & BAM_FUNMAP) ? c.pos : bam_endpos(b);
    const uint8_t* s = bam_get_seq(b);
    read.seq.resize(static_cast<size_t>(c.l_qseq));
    for (int i = 0; i < c.l_qseq; ++i) read.seq[i] = seq_nt16_str[bam_seqi(s, i)];
    const uint8_t* q = bam_get_qual(b);
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
  bam1_t* b = h_->b.get();
  const auto& c = b->core;
  span.tid = c.tid;
  span.pos = c.pos;
  span.flag = c.flag;
  span.mapq = c.qual;
  span.end = (c.flag & BAM_FUNMAP) || c.tid < 0 ? c.pos : bam_endpos(b);
  span.passes = passes();
  return true;
}

std::vector<uint32_t> BamReader::coverage(const Region& region) {
  Region r = resolve(region, "coverage");
  set_region(r);
  std::vector<uint32_t> depth(static_cast<size_t>(r.length()), 0);
  while (read_next()) {
    bam1_t* b = h_->b.get();
    if (!passes() || (b->core.flag & BAM_FUNMAP)) continue;
    int64_t ref = b->core.pos;
    const uint32_t* cigar = bam_get_cigar(b);
    for (uint32_t k = 0; k < b->core.n_cigar; ++k) {
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
  h_->itr.reset();  // later reads run through the whole file again
  return depth;
}

}  // namespace seqdl::io
