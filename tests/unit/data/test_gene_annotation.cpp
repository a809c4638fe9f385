// The checks of read_gene_models: each bad record is counted by kind, named (file:line) and its
// transcript excluded, while sound transcripts of the same file are kept; order never matters.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "common/test_support.hpp"
#include "data/gene_annotation.hpp"
#include "data/splice_annotation.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

class GeneAnnotation : public test::TempDir {
 protected:
  // A sound two-exon transcript GOOD on chrS, to check that it survives next to the bad ones.
  static constexpr const char* kGood =
      "chrS\tt\tgene\t101\t180\t.\t-\t.\tID=GG\n"
      "chrS\tt\tmRNA\t101\t180\t.\t-\t.\tID=GOOD;Parent=GG\n"
      "chrS\tt\texon\t101\t120\t.\t-\t.\tParent=GOOD\n"
      "chrS\tt\texon\t161\t180\t.\t-\t.\tParent=GOOD\n";

  GeneModels models(const std::string& text, bool genome = false, const std::string& name = "x.gff3") {
    AnnotationOptions o;
    o.path = write(name, text);
    if (genome) {
      genome_ = std::make_unique<io::IndexedFasta>(test::fixture("splice/genome.fa"));
      o.genome = genome_.get();
    }
    return read_gene_models(o);
  }

  static std::vector<std::string> ids(const std::vector<Transcript>& ts) {
    std::vector<std::string> out;
    for (const Transcript& t : ts) out.push_back(t.id);
    return out;
  }

  // Exactly one issue of `kind`, its example containing `fragment`; T1 excluded and GOOD kept.
  void expect_excluded(const GeneModels& m, AnnotationIssue kind, const std::string& fragment) {
    const IssueTally& t = m.report[kind];
    EXPECT_EQ(t.count, 1u) << issue_name(kind);
    ASSERT_FALSE(t.examples.empty()) << issue_name(kind);
    EXPECT_NE(t.examples[0].find(fragment), std::string::npos) << t.examples[0];
    EXPECT_EQ(ids(m.excluded), (std::vector<std::string>{"T1"}));
    EXPECT_EQ(ids(m.transcripts), (std::vector<std::string>{"GOOD"}));
  }

  std::unique_ptr<io::IndexedFasta> genome_;
};

std::string mrna(const std::string& span, char strand = '+', const std::string& parent = "G1") {
  std::string s = std::string("chrS\tt\tgene\t1\t100\t.\t") + strand + "\t.\tID=G1\n";
  return s + "chrS\tt\tmRNA\t" + span + "\t.\t" + strand + "\t.\tID=T1;Parent=" + parent + "\n";
}

std::string exon(int start, int end, char strand = '+', const std::string& parent = "T1",
                 const std::string& chrom = "chrS") {
  return chrom + "\tt\texon\t" + std::to_string(start) + "\t" + std::to_string(end) + "\t.\t" + strand +
         "\t.\tParent=" + parent + "\n";
}

}  // namespace

TEST_F(GeneAnnotation, ExonOutsideItsTranscript) {
  auto m = models(std::string(kGood) + mrna("11\t50") + exon(11, 20) + exon(41, 60));
  expect_excluded(m, AnnotationIssue::exon_outside_transcript, "x.gff3:8: transcript T1: exon 41-60 lies outside the "
                                                               "transcript 11-50");
}

TEST_F(GeneAnnotation, TranscriptOutsideItsGene) {
  std::string text = std::string(kGood) + "chrS\tt\tgene\t11\t40\t.\t+\t.\tID=G1\n"
                     "chrS\tt\tmRNA\t11\t60\t.\t+\t.\tID=T1;Parent=G1\n" + exon(11, 20) + exon(41, 60);
  expect_excluded(models(text), AnnotationIssue::transcript_outside_gene,
                  "x.gff3:6: transcript T1: chrS:11-60 lies outside its gene G1 (chrS:11-40)");
}

TEST_F(GeneAnnotation, ExonOnTheOtherStrandOrContig) {
  expect_excluded(models(std::string(kGood) + mrna("11\t60") + exon(11, 20) + exon(41, 60, '-')),
                  AnnotationIssue::exon_off_transcript, "x.gff3:8: transcript T1: exon on chrS -, transcript on chrS +");
  expect_excluded(models(std::string(kGood) + mrna("11\t60") + exon(11, 20) + exon(41, 60, '+', "T1", "chrQ")),
                  AnnotationIssue::exon_off_transcript, "exon on chrQ +");
}

TEST_F(GeneAnnotation, OverlappingAndTouchingExons) {
  expect_excluded(models(std::string(kGood) + mrna("11\t60") + exon(11, 30) + exon(25, 60)),
                  AnnotationIssue::overlapping_exons, "exons 11-30 (line 7) and 25-60 (line 8) overlap");
  expect_excluded(models(std::string(kGood) + mrna("11\t60") + exon(31, 60) + exon(11, 30)),
                  AnnotationIssue::overlapping_exons, "exons 11-30 (line 8) and 31-60 (line 7) touch");
}

TEST_F(GeneAnnotation, SplicedTranscriptWithoutStrand) {
  expect_excluded(models(std::string(kGood) + mrna("11\t60", '.') + exon(11, 20, '.') + exon(41, 60, '.')),
                  AnnotationIssue::no_strand, "x.gff3:6: transcript T1: strand '.'");
}

TEST_F(GeneAnnotation, StrandConflictsWithinAGene) {
  std::string text = std::string(kGood) + "chrS\tt\tgene\t1\t100\t.\t+\t.\tID=G1\n"
                     "chrS\tt\tmRNA\t11\t60\t.\t-\t.\tID=T1;Parent=G1\n" + exon(11, 20, '-') + exon(41, 60, '-');
  expect_excluded(models(text), AnnotationIssue::gene_strand_conflict, "transcript T1: on '-', its gene G1 on '+'");
  // GTF without gene lines: transcripts of one gene_id on both strands are all excluded.
  std::string gtf =
      "chrS\tt\texon\t11\t20\t.\t+\t.\tgene_id \"G\"; transcript_id \"A\";\n"
      "chrS\tt\texon\t41\t60\t.\t+\t.\tgene_id \"G\"; transcript_id \"A\";\n"
      "chrS\tt\texon\t61\t70\t.\t-\t.\tgene_id \"G\"; transcript_id \"B\";\n"
      "chrS\tt\texon\t81\t90\t.\t-\t.\tgene_id \"G\"; transcript_id \"B\";\n"
      "chrS\tt\texon\t101\t120\t.\t-\t.\tgene_id \"H\"; transcript_id \"C\";\n";
  auto m = models(gtf, false, "x.gtf");
  EXPECT_EQ(m.report[AnnotationIssue::gene_strand_conflict].count, 2u);
  EXPECT_EQ(ids(m.transcripts), (std::vector<std::string>{"C"}));
}

TEST_F(GeneAnnotation, ContigChecksNeedTheGenome) {
  // Without a genome nothing is known about contigs: chrZ passes.
  std::string text = std::string(kGood) + "chrZ\tt\tmRNA\t11\t60\t.\t+\t.\tID=T1\n" + exon(11, 20, '+', "T1", "chrZ") +
                     exon(41, 60, '+', "T1", "chrZ");
  EXPECT_EQ(models(text).transcripts.size(), 2u);
  expect_excluded(models(text, true), AnnotationIssue::missing_contig, "transcript T1: contig chrZ is not in");
  std::string past = std::string(kGood) + "chrS\tt\tmRNA\t11\t260\t.\t+\t.\tID=T1\n" + exon(11, 20) + exon(241, 260);
  expect_excluded(models(past, true), AnnotationIssue::outside_contig,
                  "x.gff3:7: transcript T1: exon 241-260 runs past the end of chrS (200 bp)");
}

TEST_F(GeneAnnotation, DuplicateIds) {
  std::string text = std::string(kGood) + mrna("11\t60") + "chrS\tt\tmRNA\t11\t60\t.\t+\t.\tID=T1;Parent=G1\n" +
                     exon(11, 20) + exon(41, 60);
  expect_excluded(models(text), AnnotationIssue::duplicate_id, "transcript T1: its ID or its gene's (G1) is declared "
                                                               "more than once");
  // Multi-line features such as CDS share IDs legitimately: not a problem.
  std::string cds = std::string(kGood) + mrna("11\t60") + exon(11, 20) + exon(41, 60) +
                    "chrS\tt\tCDS\t11\t20\t.\t+\t0\tID=c;Parent=T1\nchrS\tt\tCDS\t41\t60\t.\t+\t1\tID=c;Parent=T1\n";
  EXPECT_EQ(models(cds).transcripts.size(), 2u);
}

TEST_F(GeneAnnotation, ExonsWithoutTranscriptAreSkippedAndCounted) {
  auto m = models(std::string(kGood) + "chrS\tt\texon\t11\t20\t.\t+\t.\tID=lonely\n");
  EXPECT_EQ(m.report[AnnotationIssue::exon_without_transcript].count, 1u);
  EXPECT_EQ(m.report[AnnotationIssue::exon_without_transcript].examples[0], m.report.path + ":5: exon without Parent");
  std::string gtf = "chrS\tt\texon\t11\t20\t.\t+\t.\tgene_id \"G\";\n"
                    "chrS\tt\texon\t41\t60\t.\t+\t.\tgene_id \"G\"; transcript_id \"A\";\n";
  m = models(gtf, false, "x.gtf");
  EXPECT_EQ(m.report[AnnotationIssue::exon_without_transcript].count, 1u);
  EXPECT_NE(m.report[AnnotationIssue::exon_without_transcript].examples[0].find("x.gtf:1: exon without transcript_id"),
            std::string::npos);
  EXPECT_EQ(ids(m.transcripts), (std::vector<std::string>{"A"}));
}

TEST_F(GeneAnnotation, ImpliedParentsAreBuiltFromTheirExons) {
  // T1's mRNA line is missing; T2's gene is missing. Both are used, and said.
  std::string text = exon(11, 20) + exon(41, 60) + "chrS\tt\tmRNA\t61\t90\t.\t+\t.\tID=T2;Parent=GX\n" +
                     exon(61, 70, '+', "T2") + exon(81, 90, '+', "T2");
  auto m = models(text);
  EXPECT_EQ(ids(m.transcripts), (std::vector<std::string>{"T1", "T2"}));
  EXPECT_EQ(m.report[AnnotationIssue::implied_parent].count, 2u);
  EXPECT_EQ(m.transcripts[0].gene_id, "T1");
  EXPECT_EQ(m.transcripts[1].gene_id, "GX");
  EXPECT_EQ(m.transcripts[0].start, 10);
  EXPECT_EQ(m.transcripts[0].end, 60);
  EXPECT_TRUE(m.excluded.empty());
}

TEST_F(GeneAnnotation, OrderOfLinesNeverMatters) {
  std::ifstream in(test::fixture("splice/genes.gff3"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  SpliceOptions o;
  o.annotation = test::fixture("splice/genes.gff3");
  SpliceAnnotation sorted = load_splice_annotation(o);
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(lines.begin(), lines.end(), rng);
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    o.annotation = write("shuffled.gff3", text);
    SpliceAnnotation shuffled = load_splice_annotation(o);
    ASSERT_EQ(shuffled.sites.size(), sorted.sites.size());
    for (size_t i = 0; i < sorted.sites.size(); ++i) {
      EXPECT_EQ(shuffled.sites[i].position, sorted.sites[i].position);
      EXPECT_EQ(shuffled.sites[i].transcripts, sorted.sites[i].transcripts);
    }
    EXPECT_EQ(ids(shuffled.models.transcripts), ids(sorted.models.transcripts));
    EXPECT_TRUE(shuffled.models.excluded.empty());
  }
}

TEST_F(GeneAnnotation, FilesWithoutExonsAreRejected) {
  try {
    models("chrS\tt\tgene\t1\t100\t.\t+\t.\tID=G1\n");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x.gff3: no exon features (1 records read"), std::string::npos) << e.what();
  }
}

}  // namespace seqdl::data
