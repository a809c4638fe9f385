#include "io/vcf.hpp"

#include <algorithm>
#include <cctype>

#include "io/hts_handles.hpp"
#include "util/error.hpp"

namespace seqdl::io {

bool VariantAllele::symbolic() const {
  if (alt.empty() || alt == "." || alt == "*") return true;
  return alt.find_first_of("<>[]") != std::string::npos;
}

std::string VariantAllele::to_string() const { return fmt::format("{}:{} {}>{}", chrom, pos + 1, ref, alt); }

struct VcfReader::Handles {
  hts::File fp;  // destroyed last
  hts::VcfHeader hdr;
  hts::VcfRecord rec;
};

VcfReader::VcfReader(std::string path) : path_(std::move(path)), h_(std::make_unique<Handles>()) {
  h_->fp.reset(hts_open(path_.c_str(), "r"));
  if (!h_->fp) throw InputError("cannot open {}: {}", path_, errno_text(errno));
  const htsFormat* fmt = hts_get_format(h_->fp.get());
  if (fmt->format != vcf && fmt->format != bcf) throw FormatError("{}: not a VCF or BCF file", path_);
  h_->hdr.reset(bcf_hdr_read(h_->fp.get()));
  if (!h_->hdr) throw FormatError("{}: cannot read the VCF header", path_);
  h_->rec.reset(bcf_init());
  if (!h_->rec) throw InputError("{}: cannot allocate a record buffer (out of memory)", path_);
}

VcfReader::~VcfReader() = default;

std::vector<std::string> VcfReader::header_contigs() const {
  int n = 0;
  hts::Malloced<const char*> names(bcf_hdr_seqnames(h_->hdr.get(), &n));  // the strings belong to the header
  if (!names) return {};  // no contigs (or htslib could not allocate the list)
  return std::vector<std::string>(names.get(), names.get() + n);
}

bool VcfReader::next(VariantAllele& allele) {
  while (next_pending_ >= pending_.size()) {
    bcf1_t* rec = h_->rec.get();
    int ret = bcf_read(h_->fp.get(), h_->hdr.get(), rec);
    if (ret == -1) return false;
    ++records_;
    // Undefined contigs and tags are only warnings (htslib adds them to the header); the rest is damage.
    if (ret < -1 || (rec->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)) != 0) {
      throw FormatError("{}: record {} is malformed", path_, records_);
    }
    if (rec->pos < 0) throw FormatError("{}: record {}: POS is not a positive integer", path_, records_);
    if (bcf_unpack(rec, BCF_UN_STR) != 0) throw FormatError("{}: record {} cannot be unpacked", path_, records_);
    pending_.clear();
    next_pending_ = 0;
    if (rec->n_allele < 1) throw FormatError("{}: record {} has no REF allele", path_, records_);
    VariantAllele base;
    base.chrom = bcf_seqname(h_->hdr.get(), rec);
    base.pos = rec->pos;
    base.id = rec->d.id != nullptr ? rec->d.id : ".";
    base.ref = rec->d.allele[0];
    base.n_alt = rec->n_allele - 1;
    base.record = records_;
    if (base.n_alt == 0) {  // no ALT ('.'): kept as one symbolic allele so that callers can count it
      base.alt = ".";
      base.allele = 0;
      pending_.push_back(base);
    }
    for (int a = 1; a < rec->n_allele; ++a) {
      VariantAllele v = base;
      v.alt = rec->d.allele[a];
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
