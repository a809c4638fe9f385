#include "data/gene_annotation.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "data/gene_annotation_raw.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

using detail::Declared;
using detail::ExonRecord;
using detail::RawAnnotation;

std::string span(int64_t start, int64_t end) { return fmt::format("{}-{}", start + 1, end); }  // 1-based, as the file

struct Candidate {
  Transcript transcript;
  std::vector<const ExonRecord*> exons;  // sorted by start, with their lines for messages
  const Declared* declared = nullptr;
  const Declared* gene = nullptr;  // the declared gene, when it is another feature than the transcript
};

// A transcript under examination; the first failed check excludes it with a message.
class Resolver {
 public:
  Resolver(const AnnotationOptions& options, const RawAnnotation& raw, AnnotationReport& report)
      : options_(options), raw_(raw), report_(report) {}

  Candidate build(const std::string& id, std::vector<const ExonRecord*> exons) {
    std::sort(exons.begin(), exons.end(), [](const ExonRecord* a, const ExonRecord* b) {
      return std::tie(a->start, a->end, a->line) < std::tie(b->start, b->end, b->line);
    });
    Candidate c;
    Transcript& t = c.transcript;
    t.id = id;
    auto it = raw_.features.find(id);
    if (it != raw_.features.end()) {
      c.declared = &it->second;
      t.type = it->second.type;
      t.chrom = it->second.seqid;
      t.strand = it->second.strand;
      t.start = it->second.start;
      t.end = it->second.end;
      t.line = it->second.line;
    } else {
      const ExonRecord& first = *exons.front();
      t.chrom = first.seqid;
      t.strand = first.strand;
      t.start = first.start;
      t.end = first.end;
      for (const ExonRecord* e : exons) t.end = std::max(t.end, e->end);
      t.line = first.line;
      report_.add(AnnotationIssue::implied_parent,
                  fmt::format("{}:{}: transcript {} has no line of its own (built from its exons)", options_.path,
                              first.line, id));
    }
    for (const ExonRecord* e : exons) t.exons.push_back(Exon{e->start, e->end});
    c.exons = std::move(exons);
    resolve_gene(c);
    return c;
  }

  // The first check that fails, with its message; nullopt when the transcript is sound.
  std::optional<std::pair<AnnotationIssue, std::string>> check(const Candidate& c) const {
    const Transcript& t = c.transcript;
    auto at = [&](uint64_t line) { return fmt::format("{}:{}: transcript {}", options_.path, line, t.id); };
    if ((c.declared != nullptr && c.declared->copies > 1) || (c.gene != nullptr && c.gene->copies > 1) ||
        raw_.gtf_two_genes.count(t.id) != 0) {
      return {{AnnotationIssue::duplicate_id, fmt::format("{}: its ID or its gene's ({}) is declared more than once",
                                                          at(t.line), t.gene_id)}};
    }
    for (const ExonRecord* e : c.exons) {
      if (e->seqid != t.chrom || e->strand != t.strand) {
        return {{AnnotationIssue::exon_off_transcript, fmt::format("{}: exon on {} {}, transcript on {} {}",
                                                                   at(e->line), e->seqid, e->strand, t.chrom, t.strand)}};
      }
    }
    if (t.strand != '+' && t.strand != '-') {
      return {{AnnotationIssue::no_strand, fmt::format("{}: strand '{}' (expected + or -)", at(t.line), t.strand)}};
    }
    for (const ExonRecord* e : c.exons) {
      if (e->start < t.start || e->end > t.end) {
        return {{AnnotationIssue::exon_outside_transcript,
                 fmt::format("{}: exon {} lies outside the transcript {}", at(e->line), span(e->start, e->end),
                             span(t.start, t.end))}};
      }
    }
    if (c.gene != nullptr) {
      const Declared& g = *c.gene;
      if (g.seqid != t.chrom || t.start < g.start || t.end > g.end) {
        return {{AnnotationIssue::transcript_outside_gene,
                 fmt::format("{}: {}:{} lies outside its gene {} ({}:{})", at(t.line), t.chrom, span(t.start, t.end),
                             t.gene_id, g.seqid, span(g.start, g.end))}};
      }
      if ((g.strand == '+' || g.strand == '-') && g.strand != t.strand) {
        return {{AnnotationIssue::gene_strand_conflict,
                 fmt::format("{}: on '{}', its gene {} on '{}'", at(t.line), t.strand, t.gene_id, g.strand)}};
      }
    }
    for (size_t i = 1; i < c.exons.size(); ++i) {
      const ExonRecord& a = *c.exons[i - 1];
      const ExonRecord& b = *c.exons[i];
      if (b.start <= a.end) {
        return {{AnnotationIssue::overlapping_exons,
                 fmt::format("{}: exons {} (line {}) and {} (line {}) {}", at(t.line), span(a.start, a.end), a.line,
                             span(b.start, b.end), b.line, b.start < a.end ? "overlap" : "touch (no intron between)")}};
      }
    }
    if (options_.genome != nullptr) {
      if (!options_.genome->has(t.chrom)) {
        return {{AnnotationIssue::missing_contig,
                 fmt::format("{}: contig {} is not in {}", at(t.line), t.chrom, options_.genome->path())}};
      }
      int64_t length = options_.genome->length(t.chrom);
      for (const ExonRecord* e : c.exons) {
        if (e->end > length) {
          return {{AnnotationIssue::outside_contig, fmt::format("{}: exon {} runs past the end of {} ({} bp)",
                                                                at(e->line), span(e->start, e->end), t.chrom, length)}};
        }
      }
    }
    return std::nullopt;
  }

 private:
  void resolve_gene(Candidate& c) {
    Transcript& t = c.transcript;
    std::string root;
    if (raw_.format == io::GffFormat::gff3) {
      root = c.declared != nullptr ? c.declared->parent : "";
      for (int depth = 0; !root.empty() && depth < 64; ++depth) {  // depth bound: Parent cycles
        auto it = raw_.features.find(root);
        if (it == raw_.features.end() || it->second.parent.empty()) break;
        root = it->second.parent;
      }
      if (!root.empty()) {
        auto it = raw_.features.find(root);
        if (it != raw_.features.end()) c.gene = &it->second;
      }
    } else {
      auto it = raw_.gtf_gene_of.find(t.id);
      if (it != raw_.gtf_gene_of.end()) root = it->second;
      if (root.empty() && c.declared != nullptr) root = c.declared->parent;
      if (!root.empty()) {
        auto g = raw_.gtf_genes.find(root);
        if (g != raw_.gtf_genes.end()) c.gene = &g->second;
      }
    }
    t.gene_id = root.empty() ? t.id : root;
    // A gene named by Parent / gene_id that no line declares: said once (GTF genes rarely have lines).
    bool named = !root.empty() && c.gene == nullptr;
    if (named && raw_.format == io::GffFormat::gff3 && implied_genes_.insert(root).second) {
      report_.add(AnnotationIssue::implied_parent,
                  fmt::format("{}:{}: gene {} (Parent of transcript {}) has no line of its own", options_.path, t.line,
                              root, t.id));
    }
  }

  const AnnotationOptions& options_;
  const RawAnnotation& raw_;
  AnnotationReport& report_;
  std::set<std::string> implied_genes_;
};

bool position_less(const Transcript& a, const Transcript& b) {
  return std::tie(a.chrom, a.start, a.end, a.strand, a.id) < std::tie(b.chrom, b.start, b.end, b.strand, b.id);
}

// Genes never declared carry no strand of their own: their transcripts must agree among themselves.
void exclude_split_genes(std::vector<Candidate>& kept, GeneModels& out, const AnnotationOptions& options) {
  std::map<std::string, std::set<std::pair<std::string, char>>> places;
  for (const Candidate& c : kept) places[c.transcript.gene_id].insert({c.transcript.chrom, c.transcript.strand});
  std::vector<Candidate> still;
  for (Candidate& c : kept) {
    if (places[c.transcript.gene_id].size() > 1) {
      out.report.add(AnnotationIssue::gene_strand_conflict,
                     fmt::format("{}:{}: transcript {}: its gene {} has transcripts on more than one contig or strand",
                                 options.path, c.transcript.line, c.transcript.id, c.transcript.gene_id));
      out.excluded.push_back(std::move(c.transcript));
    } else {
      still.push_back(std::move(c));
    }
  }
  kept = std::move(still);
}

std::vector<Transcript> select(std::vector<Candidate>& kept, const AnnotationOptions& options, AnnotationReport& report) {
  std::vector<Transcript> out;
  std::map<std::string, size_t> best;  // gene -> index into out
  for (Candidate& c : kept) {
    Transcript& t = c.transcript;
    if (!options.types.empty() && std::find(options.types.begin(), options.types.end(), t.type) == options.types.end()) {
      ++report.not_selected;
      continue;
    }
    if (!options.canonical) {
      out.push_back(std::move(t));
      continue;
    }
    auto [it, inserted] = best.try_emplace(t.gene_id, out.size());
    if (inserted) {
      out.push_back(std::move(t));
      continue;
    }
    ++report.not_selected;
    Transcript& held = out[it->second];
    int64_t a = t.exon_length(), b = held.exon_length();
    if (a > b || (a == b && t.id < held.id)) held = std::move(t);
  }
  return out;
}

}  // namespace

GeneModels read_gene_models(const AnnotationOptions& options) {
  GeneModels out;
  out.report.path = options.path;
  RawAnnotation raw = detail::read_raw_annotation(options, out.report);
  if (out.report.exon_records == 0) {
    throw InputError("{}: no exon features ({} records read; seqdl needs exon lines to place splice sites)",
                     options.path, out.report.records);
  }
  // Exons grouped by transcript, transcripts in order of first appearance (ties in sorting stay stable).
  std::map<std::string, std::vector<const ExonRecord*>> by_transcript;
  for (const ExonRecord& e : raw.exons) by_transcript[e.transcript].push_back(&e);

  Resolver resolver(options, raw, out.report);
  std::vector<Candidate> kept;
  for (auto& [id, exons] : by_transcript) {
    Candidate c = resolver.build(id, std::move(exons));
    if (auto problem = resolver.check(c)) {
      out.report.add(problem->first, std::move(problem->second));
      out.excluded.push_back(std::move(c.transcript));
    } else {
      kept.push_back(std::move(c));
    }
  }
  exclude_split_genes(kept, out, options);
  out.transcripts = select(kept, options, out.report);
  std::sort(out.transcripts.begin(), out.transcripts.end(), position_less);
  std::sort(out.excluded.begin(), out.excluded.end(), position_less);

  std::map<std::string, size_t> gene_index;
  for (size_t i = 0; i < out.transcripts.size(); ++i) {
    const Transcript& t = out.transcripts[i];
    auto [it, inserted] = gene_index.try_emplace(t.gene_id, out.genes.size());
    if (inserted) out.genes.push_back(Gene{t.gene_id, t.chrom, t.strand, t.start, t.end, {}});
    Gene& g = out.genes[it->second];
    g.start = std::min(g.start, t.start);
    g.end = std::max(g.end, t.end);
    g.transcripts.push_back(i);
  }
  std::vector<size_t> order(out.genes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](size_t i) {
    const Gene& g = out.genes[i];
    return std::tie(g.chrom, g.start, g.end, g.strand, g.id);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::vector<Gene> sorted;
  for (size_t i : order) sorted.push_back(std::move(out.genes[i]));
  out.genes = std::move(sorted);
  return out;
}

}  // namespace seqdl::data
