#include "data/splice_labels.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "encode/bases.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

size_t strand_index(char strand) { return strand == '-' ? 1 : 0; }

std::string ids_text(const SpliceSite& s) {
  if (s.transcripts.empty()) return fmt::format("evidence, {} reads", s.reads);
  std::string out;
  for (size_t i = 0; i < s.transcripts.size() && i < 3; ++i) out += (i > 0 ? "," : "") + s.transcripts[i];
  if (s.transcripts.size() > 3) out += ",...";
  return out;
}

// The conflict rule of the header: annotated, then transcripts, then reads; a tie goes to the donor.
const SpliceSite& winner(const SpliceSite& acceptor, const SpliceSite& donor) {
  auto strength = [](const SpliceSite& s) {
    return std::make_tuple(s.annotated(), s.transcripts.size(), s.reads);
  };
  return strength(acceptor) > strength(donor) ? acceptor : donor;
}

}  // namespace

SiteClass ChromosomeSites::at(char strand, int64_t position) const {
  size_t s = strand_index(strand);
  if (std::binary_search(acceptors[s].begin(), acceptors[s].end(), position)) return SiteClass::acceptor;
  if (std::binary_search(donors[s].begin(), donors[s].end(), position)) return SiteClass::donor;
  return SiteClass::neither;
}

std::vector<uint8_t> ChromosomeSites::labels(char strand, int64_t start, int64_t end) const {
  std::vector<uint8_t> out(static_cast<size_t>(std::max<int64_t>(end - start, 0)), 0);
  size_t s = strand_index(strand);
  for (auto [positions, cls] : {std::pair{&acceptors[s], SiteClass::acceptor}, std::pair{&donors[s], SiteClass::donor}}) {
    for (auto it = std::lower_bound(positions->begin(), positions->end(), start); it != positions->end() && *it < end;
         ++it) {
      int64_t i = strand == '-' ? end - 1 - *it : *it - start;
      out[static_cast<size_t>(i)] = static_cast<uint8_t>(cls);
    }
  }
  return out;
}

size_t ChromosomeSites::size() const {
  return acceptors[0].size() + acceptors[1].size() + donors[0].size() + donors[1].size();
}

std::vector<GeneSpan> merge_gene_spans(const std::vector<Gene>& genes) {
  std::vector<const Gene*> order;
  for (const Gene& g : genes) order.push_back(&g);
  std::sort(order.begin(), order.end(), [](const Gene* a, const Gene* b) {
    return std::tie(a->chrom, a->strand, a->start, a->end, a->id) < std::tie(b->chrom, b->strand, b->start, b->end, b->id);
  });
  std::vector<GeneSpan> spans;
  for (const Gene* g : order) {
    GeneSpan* last = spans.empty() ? nullptr : &spans.back();
    if (last != nullptr && last->chrom == g->chrom && last->strand == g->strand && g->start < last->end) {
      last->end = std::max(last->end, g->end);
      last->genes.push_back(g->id);
    } else {
      spans.push_back(GeneSpan{g->chrom, g->start, g->end, g->strand, {g->id}});
    }
  }
  std::sort(spans.begin(), spans.end(), [](const GeneSpan& a, const GeneSpan& b) {
    return std::tie(a.chrom, a.start, a.strand, a.end) < std::tie(b.chrom, b.start, b.strand, b.end);
  });
  return spans;
}

SpliceLabels::SpliceLabels(const std::vector<Gene>& genes, const std::vector<SpliceSite>& sites)
    : spans_(merge_gene_spans(genes)) {
  for (size_t i = 0; i < spans_.size(); ++i) span_index_[spans_[i].chrom][strand_index(spans_[i].strand)].push_back(i);
  std::vector<const SpliceSite*> order;
  for (const SpliceSite& s : sites) order.push_back(&s);
  auto key = [](const SpliceSite* s) { return std::tie(s->chrom, s->strand, s->position, s->cls); };
  std::sort(order.begin(), order.end(), [&](const SpliceSite* a, const SpliceSite* b) { return key(a) < key(b); });
  for (size_t i = 0; i < order.size(); ++i) {
    const SpliceSite* chosen = order[i];
    bool same_base = i + 1 < order.size() && order[i + 1]->chrom == chosen->chrom &&
                     order[i + 1]->strand == chosen->strand && order[i + 1]->position == chosen->position;
    if (same_base) {  // sorted by class: acceptor first, donor second
      const SpliceSite& acceptor = *chosen;
      const SpliceSite& donor = *order[++i];
      chosen = &winner(acceptor, donor);
      ++conflicts_.count;
      if (conflicts_.examples.size() < 5) {
        conflicts_.examples.push_back(fmt::format("{}:{} {}: acceptor ({}) and donor ({}): labelled {}", chosen->chrom,
                                                  with_commas(static_cast<uint64_t>(chosen->position + 1)),
                                                  chosen->strand, ids_text(acceptor), ids_text(donor),
                                                  site_class_name(chosen->cls)));
      }
    }
    ChromosomeSites& c = sites_[chosen->chrom];
    c.chrom = chosen->chrom;
    size_t s = strand_index(chosen->strand);
    (chosen->cls == SiteClass::acceptor ? c.acceptors[s] : c.donors[s]).push_back(chosen->position);
  }
}

std::vector<GeneSpan> SpliceLabels::gene_spans(const std::vector<std::string>& chroms) const {
  if (chroms.empty()) return spans_;
  std::set<std::string> wanted(chroms.begin(), chroms.end());
  std::vector<GeneSpan> out;
  for (const GeneSpan& s : spans_) {
    if (wanted.count(s.chrom) != 0) out.push_back(s);
  }
  return out;
}

std::vector<uint8_t> SpliceLabels::labels_of(const GeneSpan& span) const {
  return chromosome(span.chrom).labels(span.strand, span.start, span.end);
}

std::vector<LabelledSpan> SpliceLabels::labelled_spans(const std::vector<std::string>& chroms) const {
  std::vector<LabelledSpan> out;
  for (GeneSpan& s : gene_spans(chroms)) {
    LabelledSpan l;
    static_cast<GeneSpan&>(l) = std::move(s);
    l.labels = labels_of(l);
    out.push_back(std::move(l));
  }
  return out;
}

const ChromosomeSites& SpliceLabels::chromosome(const std::string& chrom) const {
  static const ChromosomeSites kEmpty;
  auto it = sites_.find(chrom);
  return it == sites_.end() ? kEmpty : it->second;
}

SiteClass SpliceLabels::at(const std::string& chrom, char strand, int64_t position) const {
  return chromosome(chrom).at(strand, position);
}

std::vector<GeneSpan> SpliceLabels::spans_overlapping(const std::string& chrom, int64_t start, int64_t end) const {
  std::vector<GeneSpan> out;
  auto it = span_index_.find(chrom);
  if (it == span_index_.end()) return out;
  for (const std::vector<size_t>& index : it->second) {
    // The first span starting at or after `end` bounds the search; disjoint spans before it end in order.
    auto stop = std::lower_bound(index.begin(), index.end(), end, [&](size_t i, int64_t e) { return spans_[i].start < e; });
    for (auto k = stop; k != index.begin();) {
      const GeneSpan& s = spans_[*--k];
      if (s.end <= start) break;
      out.push_back(s);
    }
  }
  std::sort(out.begin(), out.end(), [](const GeneSpan& a, const GeneSpan& b) {
    return std::tie(a.start, a.strand) < std::tie(b.start, b.strand);
  });
  return out;
}

std::string transcribed_sequence(const io::IndexedFasta& genome, const std::string& chrom, char strand, int64_t start,
                                 int64_t end) {
  std::string bases = genome.fetch_padded(chrom, start, end, 'N');
  if (strand == '-') encode::reverse_complement_in_place(bases);
  return bases;
}

std::vector<std::string> SpliceLabels::chromosomes() const {
  std::set<std::string> names;
  for (const auto& [name, sites] : sites_) names.insert(name);
  for (const GeneSpan& s : spans_) names.insert(s.chrom);
  return {names.begin(), names.end()};
}

}  // namespace seqdl::data
