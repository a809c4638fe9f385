#include "motif/discover_output.hpp"

#include <algorithm>
#include <cmath>

#include "motif/motif_io.hpp"

namespace seqdl::motif {
namespace {

std::string pattern_consensus(const DiscoveredPattern& d) { return consensus(pattern_motif(d.pattern, d.id, "")); }

double mean_similarity(const Pattern& p) {
  double s = 0;
  for (const Member& m : p.members) s += m.similarity;
  return p.members.empty() ? 0 : s / static_cast<double>(p.members.size());
}

void write_file(const AtomicDir& dir, const std::string& name, const std::string& text) {
  AtomicFile f(dir.path(name));
  f.write(text);
  f.commit();
}

}  // namespace

std::string thresholds_text(const SeqletCall& c) {
  auto side = [](char sign, double t) { return std::isinf(t) ? std::string("none") : fmt::format("{}{:.4g}", sign, t); };
  return fmt::format("{} / {}{}", side('+', c.positive_threshold), side('-', c.negative_threshold),
                     c.clamp.empty() ? "" : " (" + c.clamp + ")");
}

Site seqlet_site(const SeqletResult& s, const DiscoveryResult& r) {
  if (s.pattern < 0) return {s.seqlet.start, s.seqlet.start, '.'};
  const int64_t w = s.seqlet.end - s.seqlet.start;
  const int64_t width = r.patterns[static_cast<size_t>(s.pattern)].pattern.width;
  // Pattern positions [0, width) lie on placed positions [-offset, width - offset) of the seqlet.
  int64_t a = std::clamp<int64_t>(-s.placement.offset, 0, w), b = std::clamp<int64_t>(width - s.placement.offset, 0, w);
  if (s.placement.reverse) return {s.seqlet.start + w - b, s.seqlet.start + w - a, '-'};
  return {s.seqlet.start + a, s.seqlet.start + b, '+'};
}

bool to_genome(const RowCoordinate& row, int64_t length, int64_t start, int64_t end, char strand, int64_t& gstart,
               int64_t& gend, char& gstrand) {
  if (row.chrom.empty()) return false;
  if (row.strand == '-') {
    gstart = row.start + length - end;
    gend = row.start + length - start;
    gstrand = strand == '+' ? '-' : strand == '-' ? '+' : '.';
  } else {
    gstart = row.start + start;
    gend = row.start + end;
    gstrand = strand;
  }
  return true;
}

std::string patterns_meme(const DiscoveryResult& r) {
  std::vector<Motif> motifs;
  for (const DiscoveredPattern& d : r.patterns) motifs.push_back(pattern_motif(d.pattern, d.id, pattern_consensus(d)));
  return format_meme(motifs);
}

std::string matrices_meme(const DiscoveryResult& r, bool hypothetical) {
  std::string out = fmt::format("MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n"
                                "A 0.25 C 0.25 G 0.25 T 0.25\n");
  for (const DiscoveredPattern& d : r.patterns) {
    const std::vector<double>& m = hypothetical ? d.pattern.hypothetical : d.pattern.cwm;
    out += fmt::format("\nMOTIF {} {}\nletter-probability matrix: alength= 4 w= {} nsites= {} E= 0\n", d.id,
                       pattern_consensus(d), d.pattern.width, d.pattern.members.size());
    for (int q = 0; q < d.pattern.width; ++q) {
      auto k = static_cast<size_t>(q * 4);
      out += fmt::format("{:.6g} {:.6g} {:.6g} {:.6g}\n", m[k], m[k + 1], m[k + 2], m[k + 3]);
    }
  }
  return out;
}

std::string patterns_tsv(const DiscoveryResult& r) {
  bool db = !r.database.empty();
  std::string out = "pattern\tmetacluster\tseqlets\tforward\treverse\twidth\tconsensus\tmean_similarity";
  out += db ? "\tbest_match\tbest_match_name\tbest_similarity\tbest_evalue\n" : "\n";
  for (const DiscoveredPattern& d : r.patterns) {
    out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4f}", d.id, d.negative ? "negative" : "positive",
                       d.pattern.members.size(), d.forward, d.reverse, d.pattern.width, pattern_consensus(d),
                       mean_similarity(d.pattern));
    if (db) {
      if (d.matches.empty()) {
        out += "\t.\t.\t.\t.";
      } else {
        const Match& m = d.matches[0];
        const Motif& t = r.database[m.target];
        out += fmt::format("\t{}\t{}\t{:.4f}\t{:.4g}", t.id, t.name.empty() ? "." : t.name, m.alignment.similarity, m.evalue);
      }
    }
    out += '\n';
  }
  return out;
}

std::string seqlets_tsv(const DiscoveryResult& r) {
  bool genome = !r.coordinates.empty();
  std::string out = "row\tsequence\tstart\tend\tstrand\tmetacluster\tpattern\tsimilarity\tscore\tsite_start\tsite_end";
  out += genome ? "\tchrom\tgenome_start\tgenome_end\n" : "\n";
  for (const SeqletResult& s : r.seqlets) {
    const Seqlet& q = s.seqlet;
    std::string name = genome ? r.coordinates[static_cast<size_t>(q.row)].name : std::to_string(q.row);
    Site site = seqlet_site(s, r);
    out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t", q.row, name, q.start, q.end, site.strand,
                       q.score < 0 ? "negative" : "positive");
    if (s.pattern >= 0) {
      out += fmt::format("{}\t{:.4f}\t", r.patterns[static_cast<size_t>(s.pattern)].id, s.placement.similarity);
    } else {
      out += ".\t.\t";
    }
    out += fmt::format("{}", q.score);  // the shortest text that reads back to the same float
    out += s.pattern >= 0 ? fmt::format("\t{}\t{}", site.start, site.end) : "\t.\t.";
    if (genome) {
      int64_t gs = 0, ge = 0;
      char gstrand = '.';
      if (to_genome(r.coordinates[static_cast<size_t>(q.row)], r.length, q.start, q.end, '.', gs, ge, gstrand)) {
        out += fmt::format("\t{}\t{}\t{}", r.coordinates[static_cast<size_t>(q.row)].chrom, gs, ge);
      } else {
        out += "\t.\t.\t.";
      }
    }
    out += '\n';
  }
  return out;
}

std::string sites_bed(const DiscoveryResult& r) {
  std::string out;
  for (const SeqletResult& s : r.seqlets) {
    if (s.pattern < 0) continue;
    Site site = seqlet_site(s, r);
    int64_t gs = 0, ge = 0;
    char strand = '.';
    if (!to_genome(r.coordinates[static_cast<size_t>(s.seqlet.row)], r.length, site.start, site.end, site.strand, gs,
                   ge, strand)) {
      continue;
    }
    out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", r.coordinates[static_cast<size_t>(s.seqlet.row)].chrom, gs, ge,
                       r.patterns[static_cast<size_t>(s.pattern)].id, s.seqlet.score, strand);
  }
  return out;
}

std::string matches_tsv(const DiscoveryResult& r) {
  std::string out = "pattern\trank\ttarget_id\ttarget_name\torientation\toffset\toverlap\tsimilarity\tscore\tp_value\t"
                    "e_value\tq_value\tpattern_consensus\ttarget_consensus\n";
  for (const DiscoveredPattern& d : r.patterns) {
    std::string qc = pattern_consensus(d);
    for (size_t k = 0; k < d.matches.size(); ++k) {
      const Match& m = d.matches[k];
      const Motif& t = r.database[m.target];
      std::string tc = consensus(m.alignment.reverse ? reverse_complement(t) : t);
      out += fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4f}\t{:.4f}\t{:.4g}\t{:.4g}\t{:.4g}\t{}\t{}\n", d.id, k + 1,
                         t.id, t.name.empty() ? "." : t.name, m.alignment.reverse ? '-' : '+', m.alignment.offset,
                         m.alignment.overlap, m.alignment.similarity, m.alignment.score, m.pvalue, m.evalue, m.qvalue,
                         qc, tc);
    }
  }
  return out;
}

void write_discovery(const DiscoveryResult& r, const DiscoverOptions& o, AtomicDir& dir) {
  write_file(dir, "patterns.meme", patterns_meme(r));
  write_file(dir, "cwm.meme", matrices_meme(r, false));
  write_file(dir, "hypothetical_cwm.meme", matrices_meme(r, true));
  write_file(dir, "patterns.tsv", patterns_tsv(r));
  write_file(dir, "seqlets.tsv", seqlets_tsv(r));
  if (!r.coordinates.empty()) write_file(dir, "sites.bed", sites_bed(r));
  if (!o.database.empty()) write_file(dir, "matches.tsv", matches_tsv(r));
  if (o.report) write_file(dir, "report.html", discovery_report(r, o));
  dir.commit();
}

}  // namespace seqdl::motif
