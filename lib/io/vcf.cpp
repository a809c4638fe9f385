#include "io/vcf.hpp"

#include <htslib/vcf.h>

#include <algorithm>
#include <cctype>

#include "util/error.hpp"

namespace seqdl::io {

bool VariantAllele::symbolic() const {
  if (alt.empty() || alt == "." || alt == "*") return true;
  return alt.find_first_of("<>[]") != std::string::npos;
}

std::string VariantAllele::to_string() const { return fmt::format("{}:{} {}>{}", chrom, pos + 1, ref, alt); }

VcfReader::VcfReader(std::string path) : path_(std::move(path)) {
  fp_ = hts_open(path_.c_str(), "r");
  if (fp_ == nullptr) throw InputError("cannot open {}: {}", path_, errno_text(errno));
  const htsFormat* fmt = hts_get_format(fp_);
  if (fmt->format != vcf && fmt->format != bcf) {
    hts_close(fp_);
    fp_ = nullptr;
    throw FormatError("{}: not a VCF or BCF file", path_);
  }
  hdr_ = bcf_hdr_read(fp_);
  if (hdr_ == nullptr) {
    hts_close(fp_);
    fp_ = nullptr;
    throw FormatError("{}: cannot read the VCF header", path_);
  }
  rec_ = bcf_init();
}

VcfReader::~VcfReader() {
  if (rec_ != nullptr) bcf_destroy(rec_);
  if (hdr_ != nullptr) bcf_hdr_destroy(hdr_);
  if (fp_ != nullptr) hts_close(fp_);
}

std::vector<std::string> VcfReader::header_contigs() const {
  int n = 0;
  const char** names = bcf_hdr_seqnames(hdr_, &n);
  std::vector<std::string> out(names, names + n);
  free(names);
  return out;
}

bool VcfReader::next(VariantAllele& allele) {
  while (next_pending_ >= pending_.size()) {
    int ret = bcf_read(fp_, hdr_, rec_);
    if (ret == -1) return false;
    ++records_;
    // Undefined contigs and tags are only warnings (htslib adds them to the header); the rest is damage.
    if (ret < -1 || (rec_->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)) != 0) {
      throw FormatError("{}: record {} is malformed", path_, records_);
    }
    if (rec_->pos < 0) throw FormatError("{}: record {}: POS is not a positive integer", path_, records_);
    if (bcf_unpack(rec_, BCF_UN_STR) != 0) throw FormatError("{}: record {} cannot be unpacked", path_, records_);
    pending_.clear();
    next_pending_ = 0;
    if (rec_->n_allele < 1) throw FormatError("{}: record {} has no REF allele", path_, records_);
    VariantAllele base;
    base.chrom = bcf_seqname(hdr_, rec_);
    base.pos = rec_->pos;
    base.id = rec_->d.id != nullptr ? rec_->d.id : ".";
    base.ref = rec_->d.allele[0];
    base.n_alt = rec_->n_allele - 1;
    base.record = records_;
    if (base.n_alt == 0) {  // no ALT ('.'): kept as one symbolic allele so that callers can count it
      base.alt = ".";
      base.allele = 0;
      pending_.push_back(base);
    }
    for (int a = 1; a < rec_->n_allele; ++a) {
      VariantAllele v = base;
      v.alt = rec_->d.allele[a];
      v.allele = a;
      pending_.push_back(std::move(v));
    }
  }
  allele = pending_[next_pending_++];
  return true;
}

RefCheck check_ref(const VariantAllele& allele, const IndexedFasta& genome, std::string* genome_ref) {
  if (!genome.has(allele.chrom)) return RefCheck::unknown_contig;
  int64_t end = allele.pos + static_cast<int64_t>(allele.ref.size());
  if (end > genome.length(allele.chrom)) return RefCheck::past_end;
  std::string bases = genome.fetch(allele.chrom, allele.pos, end);
  bool same = std::equal(bases.begin(), bases.end(), allele.ref.begin(), allele.ref.end(), [](char a, char b) {
    return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
  });
  if (genome_ref != nullptr) *genome_ref = std::move(bases);
  return same ? RefCheck::match : RefCheck::mismatch;
}

}  // namespace seqdl::io
