#include "data/splice_output.hpp"

#include <memory>
#include <set>

#include <fmt/format.h>

#include "io/indexed_fasta.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

class ChromFilter {
 public:
  explicit ChromFilter(const std::vector<std::string>& chroms) : wanted_(chroms.begin(), chroms.end()) {}
  bool operator()(const std::string& chrom) const { return wanted_.empty() || wanted_.count(chrom) != 0; }

 private:
  std::set<std::string> wanted_;
};

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

uint64_t write_sites(AtomicFile& out, const SpliceAnnotation& a, const ChromFilter& keep) {
  uint64_t n = 0;
  for (const SpliceSite& s : a.sites) {
    if (!keep(s.chrom)) continue;
    std::string name = fmt::format("{}:{}", site_class_name(s.cls),
                                   s.annotated() ? joined(s.transcripts) : "reads=" + exact_number(s.reads));
    out.print("{}\t{}\t{}\t{}\t{}\t{}\n", s.chrom, s.position, s.position + 1, name, s.transcripts.size(), s.strand);
    ++n;
  }
  return n;
}

uint64_t write_introns(AtomicFile& out, const SpliceAnnotation& a, const ChromFilter& keep) {
  uint64_t n = 0;
  for (const Intron& i : a.introns) {
    if (!keep(i.chrom)) continue;
    out.print("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", i.chrom, i.start, i.end, i.annotated() ? joined(i.transcripts) : "junction",
              i.transcripts.size(), i.strand, motif_name(i.motif), i.transcripts.size());
    if (a.junctions.given) out.print("\t{}", exact_number(i.reads));
    out.write("\n");
    ++n;
  }
  return n;
}

std::string percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

void log_issues(const SpliceAnnotation& a) {
  const AnnotationReport& r = a.models.report;
  for (size_t k = 0; k < kAnnotationIssueKinds; ++k) {
    auto kind = static_cast<AnnotationIssue>(k);
    const IssueTally& t = r.issues[k];
    if (t.count == 0) continue;
    std::string line = fmt::format("{} {} [{}]; e.g. {}", with_commas(t.count), issue_description(kind),
                                   issue_name(kind), t.examples.front());
    if (issue_excludes(kind) || kind == AnnotationIssue::exon_without_transcript) {
      log::warn("{}", line);
    } else {
      log::info("{}", line);
    }
    for (size_t i = 1; i < t.examples.size(); ++i) log::debug("  also {}", t.examples[i]);
  }
  const LabelConflicts& c = a.labels.conflicts();
  if (c.count > 0) {
    log::warn("{} bases are an acceptor and a donor on one strand (labelled by the rule in docs/splice.md); e.g. {}",
              with_commas(c.count), c.examples.front());
    for (size_t i = 1; i < c.examples.size(); ++i) log::debug("  also {}", c.examples[i]);
  }
}

void log_summary(const SpliceAnnotation& a, const SitesSummary& s, const SitesJob& job) {
  const AnnotationReport& r = a.models.report;
  log::info("{} ({}): {} records, {} exon lines", r.path, io::format_name(r.format), with_commas(r.records),
            with_commas(r.exon_records));
  log::info("{} genes, {} transcripts ({} spliced){}{}", with_commas(s.genes), with_commas(s.transcripts),
            with_commas(s.spliced_transcripts),
            s.excluded > 0 ? fmt::format("; {} excluded by the checks", with_commas(s.excluded)) : "",
            r.not_selected > 0 ? fmt::format("; {} not selected (--canonical/--types)", with_commas(r.not_selected))
                               : "");
  log::info("{} acceptors, {} donors{}", with_commas(s.acceptors), with_commas(s.donors),
            s.evidence_sites > 0 ? fmt::format(" ({} from junction evidence only)", with_commas(s.evidence_sites)) : "");
  if (a.has_genome) {
    log::info("{} introns: GT-AG {}, GC-AG {}, AT-AC {}, other {}; donors GT/GC {}, acceptors AG {}",
              with_commas(s.introns), percent(s.motifs[0], s.introns), percent(s.motifs[1], s.introns),
              percent(s.motifs[2], s.introns), percent(s.motifs[3], s.introns), percent(s.donors_gt_gc, s.donors),
              percent(s.acceptors_ag, s.acceptors));
  } else {
    log::info("{} introns (no --genome: motifs not read, contigs not checked)", with_commas(s.introns));
  }
  if (a.junctions.given) {
    const JunctionSummary& j = a.junctions;
    log::info("{} ({}): {} records, {} introns with >= {} reads: {} annotated, {} added; {} below the minimum, "
              "{} unstranded, {} without a count, {} off the genome",
              job.splice.junctions, j.evidence.gff ? "GFF" : "BED", with_commas(j.evidence.records),
              with_commas(j.matched + j.added), exact_number(job.splice.min_count), with_commas(j.matched),
              with_commas(j.added), with_commas(j.evidence.below_min), with_commas(j.evidence.unstranded),
              with_commas(j.evidence.without_count), with_commas(j.off_genome));
  }
  log_issues(a);
  log::info("wrote {} {} to {}", with_commas(s.records_written), job.introns ? "introns" : "sites", job.output);
}

}  // namespace

SitesSummary summarize(const SpliceAnnotation& a, const std::vector<std::string>& chroms, const std::string& genome) {
  ChromFilter keep(chroms);
  SitesSummary s;
  for (const Gene& g : a.models.genes) s.genes += keep(g.chrom);
  for (const Transcript& t : a.models.transcripts) {
    if (!keep(t.chrom)) continue;
    ++s.transcripts;
    s.spliced_transcripts += t.exons.size() > 1;
  }
  for (const Transcript& t : a.models.excluded) s.excluded += keep(t.chrom);
  for (const Intron& i : a.introns) {
    if (!keep(i.chrom)) continue;
    ++s.introns;
    s.evidence_introns += !i.annotated();
    ++s.motifs[static_cast<size_t>(i.motif)];
  }
  std::unique_ptr<io::IndexedFasta> fasta;
  if (!genome.empty()) fasta = std::make_unique<io::IndexedFasta>(genome);
  for (const SpliceSite& site : a.sites) {
    if (!keep(site.chrom)) continue;
    bool donor = site.cls == SiteClass::donor;
    ++(donor ? s.donors : s.acceptors);
    s.evidence_sites += !site.annotated();
    if (!fasta) continue;
    std::string d = site_dinucleotide(site, *fasta);
    if (donor) {
      s.donors_gt_gc += d == "GT" || d == "GC";
    } else {
      s.acceptors_ag += d == "AG";
    }
  }
  return s;
}

SitesSummary run_sites(const SitesJob& job) {
  if (job.introns && job.splice.genome.empty()) {
    throw UsageError("--introns needs --genome (the motif of each intron is read from it)");
  }
  if (!job.splice.genome.empty() && !job.chroms.empty()) {
    io::IndexedFasta genome(job.splice.genome);
    for (const std::string& c : job.chroms) {
      if (!genome.has(c)) throw UsageError("--chroms: {} is not a contig of {}", c, job.splice.genome);
    }
  }
  SpliceAnnotation a = load_splice_annotation(job.splice);
  ChromFilter keep(job.chroms);
  AtomicFile out(job.output);
  uint64_t written = job.introns ? write_introns(out, a, keep) : write_sites(out, a, keep);
  out.commit();
  SitesSummary s = summarize(a, job.chroms, job.splice.genome);
  s.records_written = written;
  log_summary(a, s, job);
  for (const std::string& c : job.chroms) {
    if (a.labels.chromosome(c).size() == 0 && a.labels.gene_spans({c}).empty()) {
      log::warn("--chroms: no transcripts or sites on {}", c);
    }
  }
  return s;
}

}  // namespace seqdl::data
