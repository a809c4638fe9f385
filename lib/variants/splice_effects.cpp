#include "variants/splice_effects.hpp"

#include <iterator>

#include "io/vcf_annotator.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::variants {

std::string SpliceAlleleResult::status() const {
  if (skip != Skip::none) return fmt::format("skipped_{}", skip_name(skip));
  if (no_gene) return "no_gene";
  if (padded && ref_mismatch) return "padded+ref_mismatch";
  if (padded) return "padded";
  if (ref_mismatch) return "ref_mismatch";
  return "ok";
}

namespace {

class SpliceTsvWriter : public SpliceEffectWriter {
 public:
  explicit SpliceTsvWriter(const WriterOptions& o) : file_(o.output) {}

  void add(const SpliceAlleleResult& r) override {
    if (!started_) {
      started_ = true;
      file_.write("chrom\tpos\tid\tref\talt\tgene\tstrand\tds_ag\tds_al\tds_dg\tds_dl\tdp_ag\tdp_al\tdp_dg\tdp_dl\tstatus\n");
    }
    const auto& a = r.allele;
    if (r.genes.empty()) {
      file_.print("{}\t{}\t{}\t{}\t{}\t.\t.\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\t{}\n", a.chrom, a.pos + 1, a.id, a.ref, a.alt,
                  r.status());
      return;
    }
    for (const GeneDeltas& g : r.genes) {
      const SpliceDeltas& d = g.deltas;
      file_.print("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.6g}\t{:.6g}\t{:.6g}\t{:.6g}\t{}\t{}\t{}\t{}\t{}\n", a.chrom, a.pos + 1,
                  a.id, a.ref, a.alt, g.gene, g.strand, d.acceptor_gain, d.acceptor_loss, d.donor_gain, d.donor_loss,
                  d.acceptor_gain_pos, d.acceptor_loss_pos, d.donor_gain_pos, d.donor_loss_pos, r.status());
    }
  }

  std::vector<std::string> finish() override {
    file_.commit();
    return {file_.target()};
  }

 private:
  AtomicFile file_;
  bool started_ = false;
};

// The VCF read again in step with the results (the alleles of a record arrive together).
class SpliceVcfWriter : public SpliceEffectWriter {
 public:
  explicit SpliceVcfWriter(const WriterOptions& o)
      : annotator_(reread_vcf_input(o.vcf), o.output, fields(o), command_header_lines(o)) {}

  void add(const SpliceAlleleResult& r) override {
    pending_.add(r, [this] { write_record(); });
  }

  std::vector<std::string> finish() override {
    pending_.flush([this] { write_record(); });
    return annotator_.finish();
  }

  std::string index_problem() const override { return annotator_.index_problem(); }

 private:
  static std::vector<io::InfoField> fields(const WriterOptions& o) {
    const std::string suffix = o.description.empty() ? "" : " (" + o.description + ")";
    return {{o.info_prefix + "SPLICE", io::InfoField::Type::text,
             fmt::format("seqdl variants: SpliceAI-style delta scores per allele and gene, {}; DS_AG/DS_AL/DS_DG/DS_DL "
                         "acceptor gain/loss and donor gain/loss on the gene's strand, DP_* their positions relative "
                         "to POS{}", kSpliceInfoFormat, suffix),
             "."},
            {o.info_prefix + "STATUS", io::InfoField::Type::text,
             "seqdl variants: ok, padded (a window ran off a contig end), ref_mismatch, no_gene (in no annotated gene: "
             "not scored), or skipped_<reason>",
             "A"}};
  }

  void write_record() {
    const int n_alt = annotator_.next_record();
    if (n_alt >= 1) {
      std::vector<std::string> entries;
      std::vector<std::string> status(static_cast<size_t>(n_alt), ".");
      for (const auto& r : pending_.results) {
        if (r.allele.allele < 1 || r.allele.allele > n_alt) continue;
        status[static_cast<size_t>(r.allele.allele - 1)] = r.status();
        for (const GeneDeltas& g : r.genes) entries.push_back(splice_info_entry(r.allele.alt, g.gene, g.deltas));
      }
      if (!entries.empty()) annotator_.set_text(0, join(entries, ","));
      annotator_.set_text(1, join(status, ","));
    }
    annotator_.write_record();
  }

  io::VcfAnnotator annotator_;
  PendingRecord<SpliceAlleleResult> pending_;
};

}  // namespace

std::unique_ptr<SpliceEffectWriter> open_splice_writer(const WriterOptions& o) {
  if (o.format == EffectFormat::vcf) return std::make_unique<SpliceVcfWriter>(o);
  return std::make_unique<SpliceTsvWriter>(o);
}

}  // namespace seqdl::variants
