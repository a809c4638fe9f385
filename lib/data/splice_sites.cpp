#include "data/splice_sites.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "encode/bases.hpp"

namespace seqdl::data {
namespace {

void merge_sorted_unique(std::vector<std::string>& into, const std::vector<std::string>& more) {
  into.insert(into.end(), more.begin(), more.end());
  std::sort(into.begin(), into.end());
  into.erase(std::unique(into.begin(), into.end()), into.end());
}

}  // namespace

std::string_view site_class_name(SiteClass c) {
  switch (c) {
    case SiteClass::acceptor: return "acceptor";
    case SiteClass::donor: return "donor";
    default: return "neither";
  }
}

std::string_view motif_name(IntronMotif m) {
  switch (m) {
    case IntronMotif::gt_ag: return "GT-AG";
    case IntronMotif::gc_ag: return "GC-AG";
    case IntronMotif::at_ac: return "AT-AC";
    case IntronMotif::other: return "other";
    default: return "unknown";
  }
}

IntronMotif classify_motif(std::string_view intron) {
  if (intron.size() < 2) return IntronMotif::other;
  auto up = [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c); };
  char d1 = up(intron[0]), d2 = up(intron[1]);
  char a1 = up(intron[intron.size() - 2]), a2 = up(intron[intron.size() - 1]);
  if (a1 == 'A' && a2 == 'G' && d1 == 'G' && d2 == 'T') return IntronMotif::gt_ag;
  if (a1 == 'A' && a2 == 'G' && d1 == 'G' && d2 == 'C') return IntronMotif::gc_ag;
  if (a1 == 'A' && a2 == 'C' && d1 == 'A' && d2 == 'T') return IntronMotif::at_ac;
  return IntronMotif::other;
}

std::vector<Intron> derive_introns(const std::vector<Transcript>& transcripts) {
  std::map<std::tuple<std::string, int64_t, int64_t, char>, std::vector<std::string>> found;
  for (const Transcript& t : transcripts) {
    for (size_t i = 1; i < t.exons.size(); ++i) {
      found[{t.chrom, t.exons[i - 1].end, t.exons[i].start, t.strand}].push_back(t.id);
    }
  }
  std::vector<Intron> out;
  out.reserve(found.size());
  for (auto& [key, ids] : found) {
    Intron intron;
    std::tie(intron.chrom, intron.start, intron.end, intron.strand) = key;
    merge_sorted_unique(intron.transcripts, ids);
    out.push_back(std::move(intron));
  }
  return out;
}

void read_motifs(std::vector<Intron>& introns, const io::IndexedFasta& genome) {
  for (Intron& intron : introns) {
    if (!genome.has(intron.chrom) || intron.end > genome.length(intron.chrom)) continue;
    // Only the two ends matter; long introns are not fetched whole.
    int64_t length = intron.end - intron.start;
    std::string bases = length <= 4 ? genome.fetch(intron.chrom, intron.start, intron.end)
                                    : genome.fetch(intron.chrom, intron.start, intron.start + 2) +
                                          genome.fetch(intron.chrom, intron.end - 2, intron.end);
    if (intron.strand == '-') encode::reverse_complement_in_place(bases);
    intron.motif = classify_motif(bases);
  }
}

std::string site_dinucleotide(const SpliceSite& site, const io::IndexedFasta& genome) {
  if (!genome.has(site.chrom)) return "";
  // The intron lies after a '+' donor and before a '+' acceptor; mirrored on '-'.
  bool after = (site.cls == SiteClass::donor) == (site.strand == '+');
  int64_t start = after ? site.position + 1 : site.position - 2;
  if (start < 0 || start + 2 > genome.length(site.chrom)) return "";
  std::string bases = genome.fetch(site.chrom, start, start + 2);
  if (site.strand == '-') encode::reverse_complement_in_place(bases);
  for (char& c : bases) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return bases;
}

std::vector<SpliceSite> sites_of(const std::vector<Intron>& introns) {
  std::map<std::tuple<std::string, int64_t, char, SiteClass>, SpliceSite> found;
  for (const Intron& intron : introns) {
    for (auto [position, cls] : {std::pair{intron.donor(), SiteClass::donor},
                                 std::pair{intron.acceptor(), SiteClass::acceptor}}) {
      auto [it, inserted] = found.try_emplace({intron.chrom, position, intron.strand, cls});
      SpliceSite& site = it->second;
      if (inserted) {
        site.chrom = intron.chrom;
        site.position = position;
        site.strand = intron.strand;
        site.cls = cls;
      }
      merge_sorted_unique(site.transcripts, intron.transcripts);
      site.reads += intron.reads;
    }
  }
  std::vector<SpliceSite> out;
  out.reserve(found.size());
  for (auto& [key, site] : found) out.push_back(std::move(site));
  return out;
}

}  // namespace seqdl::data
