// Sites, introns, motifs and labels of the hand-written genes in tests/fixtures/splice (genes.gff3,
// genes.gtf, genome.fa). Expected values are worked out by hand from the files, 0-based:
//   G1 (+): T1 exons [10,30) [40,60) [70,90); T2 [10,30) [70,90)
//           donors 29 (T1,T2), 59 (T1); acceptors 40 (T1), 70 (T1,T2)
//   G5 (+): T5 [80,85) [90,99)                         donor 84, acceptor 90 (GC-AG)
//   G4 (-): T4 [50,55) [65,75)    intron [55,65)       donor 65 (= intron end), acceptor 54 (AT-AC)
//   G2 (-): T3 [100,120) [130,150) [160,180)           donors 160, 130; acceptors 149, 119
//   G3 (+): one exon [184,195), its exon's Parent is the gene: no sites
// Spans: G1+G5 overlap on '+' -> [10,99); G4 overlaps G1 but on '-' -> its own span [50,75).
#include <gtest/gtest.h>

#include <tuple>

#include "common/test_support.hpp"
#include "data/splice_annotation.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

using SiteTuple = std::tuple<int64_t, char, SiteClass, std::string>;  // position, strand, class, transcripts

std::vector<SiteTuple> tuples(const std::vector<SpliceSite>& sites) {
  std::vector<SiteTuple> out;
  for (const SpliceSite& s : sites) {
    std::string ids;
    for (const std::string& t : s.transcripts) ids += (ids.empty() ? "" : ",") + t;
    out.emplace_back(s.position, s.strand, s.cls, ids);
  }
  return out;
}

constexpr SiteClass A = SiteClass::acceptor, D = SiteClass::donor;

const std::vector<SiteTuple> kExpectedSites = {
    {29, '+', D, "T1,T2"}, {40, '+', A, "T1"}, {54, '-', A, "T4"},  {59, '+', D, "T1"},
    {65, '-', D, "T4"},    {70, '+', A, "T1,T2"}, {84, '+', D, "T5"}, {90, '+', A, "T5"},
    {119, '-', A, "T3"},   {130, '-', D, "T3"}, {149, '-', A, "T3"}, {160, '-', D, "T3"},
};

SpliceAnnotation load(const std::string& annotation, bool genome = true) {
  SpliceOptions o;
  o.annotation = annotation;
  if (genome) o.genome = test::fixture("splice/genome.fa");
  return load_splice_annotation(o);
}

// Dense labels from a list of (genomic position, class), in transcribed order over [start, end).
std::vector<uint8_t> expected_labels(char strand, int64_t start, int64_t end,
                                     std::vector<std::pair<int64_t, SiteClass>> sites) {
  std::vector<uint8_t> v(static_cast<size_t>(end - start), 0);
  for (auto [pos, cls] : sites) v[static_cast<size_t>(strand == '+' ? pos - start : end - 1 - pos)] = uint8_t(cls);
  return v;
}

class SpliceSites : public test::TempDir {};

}  // namespace

TEST_F(SpliceSites, PlusAndMinusStrandSitesFromGff3) {
  SpliceAnnotation a = load(test::fixture("splice/genes.gff3"));
  EXPECT_EQ(a.models.genes.size(), 5u);
  EXPECT_EQ(a.models.transcripts.size(), 6u);  // T1 T2 T3 T4 T5 and G3 (its own transcript)
  EXPECT_TRUE(a.models.excluded.empty());
  EXPECT_EQ(tuples(a.sites), kExpectedSites);
  // The gene-level exon makes a one-transcript gene named after the gene.
  auto g3 = std::find_if(a.models.transcripts.begin(), a.models.transcripts.end(),
                         [](const Transcript& t) { return t.id == "G3"; });
  ASSERT_NE(g3, a.models.transcripts.end());
  EXPECT_EQ(g3->gene_id, "G3");
  EXPECT_EQ(g3->exons, (std::vector<Exon>{{184, 195}}));
}

TEST_F(SpliceSites, IntronsAndMotifsOnTheTranscribedStrand) {
  SpliceAnnotation a = load(test::fixture("splice/genes.gff3"));
  std::vector<std::tuple<int64_t, int64_t, char, std::string, std::string>> got;
  for (const Intron& i : a.introns) {
    std::string ids;
    for (const std::string& t : i.transcripts) ids += (ids.empty() ? "" : ",") + t;
    got.emplace_back(i.start, i.end, i.strand, ids, std::string(motif_name(i.motif)));
  }
  decltype(got) expected = {
      {30, 40, '+', "T1", "GT-AG"},  {30, 70, '+', "T2", "GT-AG"},   {55, 65, '-', "T4", "AT-AC"},
      {60, 70, '+', "T1", "GT-AG"},  {85, 90, '+', "T5", "GC-AG"},   {120, 130, '-', "T3", "GT-AG"},
      {150, 160, '-', "T3", "GT-AG"},
  };
  EXPECT_EQ(got, expected);
  io::IndexedFasta genome(test::fixture("splice/genome.fa"));
  std::vector<std::string> dinucleotides;
  for (const SpliceSite& s : a.sites) dinucleotides.push_back(site_dinucleotide(s, genome));
  EXPECT_EQ(dinucleotides, (std::vector<std::string>{"GT", "AG", "AC", "GT", "AT", "AG", "GC", "AG", "AG", "GT", "AG",
                                                     "GT"}));
  EXPECT_EQ(classify_motif("gtaaag"), IntronMotif::gt_ag);
  EXPECT_EQ(classify_motif("GTA"), IntronMotif::other);
  EXPECT_EQ(classify_motif("A"), IntronMotif::other);
}

TEST_F(SpliceSites, GtfAndGff3OfTheSameGenesAgree) {
  SpliceAnnotation gff = load(test::fixture("splice/genes.gff3"));
  SpliceAnnotation gtf = load(test::fixture("splice/genes.gtf"));
  EXPECT_EQ(gtf.models.report.format, io::GffFormat::gtf);
  EXPECT_EQ(tuples(gtf.sites), tuples(gff.sites));
  ASSERT_EQ(gtf.introns.size(), gff.introns.size());
  for (size_t i = 0; i < gtf.introns.size(); ++i) {
    EXPECT_EQ(gtf.introns[i].start, gff.introns[i].start);
    EXPECT_EQ(gtf.introns[i].motif, gff.introns[i].motif);
  }
  auto a = gff.labels.labelled_spans(), b = gtf.labels.labelled_spans();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].labels, b[i].labels);
    EXPECT_EQ(a[i].genes, b[i].genes);
  }
}

TEST_F(SpliceSites, SpansMergeOneStrandAndReverseOnMinus) {
  SpliceAnnotation a = load(test::fixture("splice/genes.gff3"), false);
  auto spans = a.labels.labelled_spans();
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(std::tie(spans[0].start, spans[0].end, spans[0].strand), std::make_tuple(int64_t{10}, int64_t{99}, '+'));
  EXPECT_EQ(spans[0].genes, (std::vector<std::string>{"G1", "G5"}));
  EXPECT_EQ(spans[0].labels, expected_labels('+', 10, 99, {{29, D}, {59, D}, {84, D}, {40, A}, {70, A}, {90, A}}));
  EXPECT_EQ(spans[0].labels[19], 2);  // 29 - 10: a donor
  // '-': index 0 is the highest genomic base.
  EXPECT_EQ(std::tie(spans[1].start, spans[1].end, spans[1].strand), std::make_tuple(int64_t{50}, int64_t{75}, '-'));
  EXPECT_EQ(spans[1].genes, (std::vector<std::string>{"G4"}));
  std::vector<uint8_t> g4(25, 0);
  g4[74 - 65] = 2;  // the donor comes first in transcription order
  g4[74 - 54] = 1;
  EXPECT_EQ(spans[1].labels, g4);
  EXPECT_EQ(spans[1].genomic_position(9), 65);
  EXPECT_EQ(spans[2].labels, expected_labels('-', 100, 180, {{160, D}, {130, D}, {149, A}, {119, A}}));
  EXPECT_EQ(spans[2].labels[179 - 160], 2);
  EXPECT_EQ(spans[3].genes, (std::vector<std::string>{"G3"}));
  EXPECT_EQ(spans[3].labels, std::vector<uint8_t>(11, 0));
  // The same labels from the cheap spans + labels_of, and only the chromosomes asked for.
  auto plain = a.labels.gene_spans({"chrS"});
  ASSERT_EQ(plain.size(), 4u);
  EXPECT_EQ(a.labels.labels_of(plain[2]), spans[2].labels);
  EXPECT_TRUE(a.labels.gene_spans({"chrOther"}).empty());
}

TEST_F(SpliceSites, WholeChromosomeLabelsAndLookup) {
  SpliceAnnotation a = load(test::fixture("splice/genes.gff3"));
  const ChromosomeSites& c = a.labels.chromosome("chrS");
  EXPECT_EQ(c.size(), 12u);
  EXPECT_EQ(c.donors[0], (std::vector<int64_t>{29, 59, 84}));
  EXPECT_EQ(c.acceptors[1], (std::vector<int64_t>{54, 119, 149}));
  EXPECT_EQ(c.labels('+', 0, 200), expected_labels('+', 0, 200, {{29, D}, {59, D}, {84, D}, {40, A}, {70, A}, {90, A}}));
  EXPECT_EQ(c.labels('-', 0, 200),
            expected_labels('-', 0, 200, {{65, D}, {130, D}, {160, D}, {54, A}, {119, A}, {149, A}}));
  // Windows running off the contig are 0 there.
  std::vector<uint8_t> w = c.labels('-', -5, 35);
  EXPECT_EQ(w, expected_labels('-', -5, 35, {}));
  EXPECT_EQ(c.labels('+', 25, 45), expected_labels('+', 25, 45, {{29, D}, {40, A}}));
  EXPECT_EQ(a.labels.at("chrS", '-', 65), SiteClass::donor);
  EXPECT_EQ(a.labels.at("chrS", '+', 65), SiteClass::neither);
  EXPECT_EQ(a.labels.at("chrS", '+', 70), SiteClass::acceptor);
  EXPECT_EQ(a.labels.at("chrNone", '+', 70), SiteClass::neither);
  EXPECT_EQ(a.labels.chromosome("chrNone").size(), 0u);
}

TEST_F(SpliceSites, CanonicalKeepsTheLongestTranscript) {
  SpliceOptions o;
  o.annotation = test::fixture("splice/genes.gff3");
  o.canonical = true;
  SpliceAnnotation a = load_splice_annotation(o);
  std::vector<std::string> ids;
  for (const Transcript& t : a.models.transcripts) ids.push_back(t.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"T1", "T4", "T5", "T3", "G3"}));  // T1: 60 exon bases, T2: 40
  EXPECT_EQ(a.models.report.not_selected, 1u);
  EXPECT_EQ(a.introns.size(), 6u);  // T2's [30,70) is gone
  o.types = {"mRNA"};
  a = load_splice_annotation(o);
  EXPECT_EQ(a.models.transcripts.size(), 3u);  // T1 T5 T3: not the ncRNA T4 nor the implied G3
}

TEST_F(SpliceSites, LabelConflictRule) {
  // T1 has a donor at 29 (exon [10,30)); T2's exon [29,40) starts there: an acceptor at 29, same strand.
  std::string p = path("conflict.gff3");
  std::ofstream(p) << "chrS\tt\texon\t11\t30\t.\t+\t.\tParent=T1\nchrS\tt\texon\t51\t60\t.\t+\t.\tParent=T1\n"
                      "chrS\tt\texon\t1\t5\t.\t+\t.\tParent=T2\nchrS\tt\texon\t30\t40\t.\t+\t.\tParent=T2\n"
                      "chrS\tt\texon\t1\t5\t.\t+\t.\tParent=T3\nchrS\tt\texon\t30\t45\t.\t+\t.\tParent=T3\n";
  SpliceAnnotation a = load(p, false);
  EXPECT_EQ(a.labels.conflicts().count, 1u);
  EXPECT_EQ(a.labels.at("chrS", '+', 29), SiteClass::acceptor);  // 2 transcripts (T2, T3) beat 1 (T1)
  EXPECT_NE(a.labels.conflicts().examples[0].find("chrS:30 +: acceptor (T2,T3) and donor (T1): labelled acceptor"),
            std::string::npos);
  // Both stay in the sites (the BED lists each class).
  EXPECT_EQ(std::count_if(a.sites.begin(), a.sites.end(), [](const SpliceSite& s) { return s.position == 29; }), 2);
  // A tie goes to the donor.
  std::ofstream(p) << "chrS\tt\texon\t11\t30\t.\t+\t.\tParent=T1\nchrS\tt\texon\t51\t60\t.\t+\t.\tParent=T1\n"
                      "chrS\tt\texon\t1\t5\t.\t+\t.\tParent=T2\nchrS\tt\texon\t30\t40\t.\t+\t.\tParent=T2\n";
  a = load(p, false);
  EXPECT_EQ(a.labels.at("chrS", '+', 29), SiteClass::donor);
}

TEST_F(SpliceSites, SequenceAndLabelsAlignIndexByIndexOnBothStrands) {
  SpliceAnnotation a = load(test::fixture("splice/genes.gff3"));
  io::IndexedFasta genome(test::fixture("splice/genome.fa"));
  int donors = 0, acceptors = 0;
  for (const LabelledSpan& s : a.labels.labelled_spans()) {
    std::string seq = transcribed_sequence(genome, s.chrom, s.strand, s.start, s.end);
    ASSERT_EQ(seq.size(), s.labels.size());
    for (size_t i = 0; i < seq.size(); ++i) {
      if (s.labels[i] == 2) {  // the intron follows a donor: GT, GC or AT (T4's AT-AC) right after it
        std::string next = seq.substr(i + 1, 2);
        EXPECT_TRUE(next == "GT" || next == "GC" || next == "AT") << s.strand << " " << s.genomic_position(int64_t(i));
        ++donors;
      } else if (s.labels[i] == 1) {  // and precedes an acceptor: AG (or AC)
        std::string before = seq.substr(i - 2, 2);
        EXPECT_TRUE(before == "AG" || before == "AC") << s.strand << " " << s.genomic_position(int64_t(i));
        ++acceptors;
      }
    }
  }
  EXPECT_EQ(donors, 6);
  EXPECT_EQ(acceptors, 6);
  EXPECT_EQ(transcribed_sequence(genome, "chrS", '-', -2, 3), "GAANN");  // TTCCA...: NNTTC reverse-complemented
  EXPECT_EQ(transcribed_sequence(genome, "chrS", '+', 198, 202), "CANN");
}

TEST_F(SpliceSites, SpansOverlappingAWindow) {
  SpliceAnnotation a = load(test::fixture("splice/genes.gff3"), false);
  auto at60 = a.labels.spans_overlapping("chrS", 60, 61);
  ASSERT_EQ(at60.size(), 2u);  // G1+G5 on '+' and G4 on '-'
  EXPECT_EQ(std::tie(at60[0].start, at60[0].strand), std::make_tuple(int64_t{10}, '+'));
  EXPECT_EQ(std::tie(at60[1].start, at60[1].strand), std::make_tuple(int64_t{50}, '-'));
  EXPECT_TRUE(a.labels.spans_overlapping("chrS", 99, 100).empty());  // between [10,99) and [100,180)
  EXPECT_EQ(a.labels.spans_overlapping("chrS", 98, 101).size(), 2u);
  EXPECT_EQ(a.labels.spans_overlapping("chrS", 0, 200).size(), 4u);
  EXPECT_TRUE(a.labels.spans_overlapping("chrX", 0, 200).empty());
}

}  // namespace seqdl::data
