#include "data/splice_annotation.hpp"

#include <memory>

#include "io/indexed_fasta.hpp"

namespace seqdl::data {
namespace {

// Drops evidence on contigs the genome lacks or past their end (no motif, no place for a label), and
// introns starting at a contig's first base (no exon base before them to be the site).
uint64_t drop_off_genome(std::vector<Intron>& introns, const io::IndexedFasta* genome) {
  uint64_t dropped = 0;
  std::vector<Intron> kept;
  for (Intron& i : introns) {
    bool fits = genome == nullptr || (genome->has(i.chrom) && i.end < genome->length(i.chrom));
    if (fits && i.start >= 1) {
      kept.push_back(std::move(i));
    } else {
      ++dropped;
    }
  }
  introns = std::move(kept);
  return dropped;
}

}  // namespace

SpliceAnnotation load_splice_annotation(const SpliceOptions& options) {
  std::unique_ptr<io::IndexedFasta> genome;
  if (!options.genome.empty()) genome = std::make_unique<io::IndexedFasta>(options.genome);

  SpliceAnnotation out;
  AnnotationOptions ao;
  ao.path = options.annotation;
  ao.format = options.format;
  ao.genome = genome.get();
  ao.canonical = options.canonical;
  ao.types = options.types;
  out.models = read_gene_models(ao);
  out.introns = derive_introns(out.models.transcripts);

  if (!options.junctions.empty()) {
    JunctionSummary& j = out.junctions;
    j.given = true;
    j.evidence = read_junctions(JunctionOptions{options.junctions, options.min_count, options.junction_source});
    j.off_genome = drop_off_genome(j.evidence.introns, genome.get());
    size_t before = out.introns.size();
    add_junctions(out.introns, j.evidence);
    j.added = out.introns.size() - before;
    j.matched = j.evidence.introns.size() - j.added;
    j.evidence.introns.clear();
    j.evidence.introns.shrink_to_fit();
  }
  if (genome) {
    read_motifs(out.introns, *genome);
    out.has_genome = true;
  }
  out.sites = sites_of(out.introns);
  out.labels = SpliceLabels(out.models.genes, out.sites);
  return out;
}

}  // namespace seqdl::data
