// RNA-seq junction evidence (BED and GFF) added to the fixture genes (tests/fixtures/splice).
#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "data/splice_annotation.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

class Junctions : public test::TempDir {
 protected:
  SpliceAnnotation load(const std::string& junctions, double min_count = 5, const std::string& source = "") {
    SpliceOptions o;
    o.annotation = test::fixture("splice/genes.gff3");
    o.genome = test::fixture("splice/genome.fa");
    o.junctions = junctions;
    o.min_count = min_count;
    o.junction_source = source;
    return load_splice_annotation(o);
  }
};

// T1's intron [30,40) seen 12 + 3 reads; a new '+' intron [44,50) inside G1 (9 reads); a new '+' intron
// [140,146) outside any '+' gene (7 reads); one below the minimum; one unstranded; one off the genome.
const char* kBed =
    "track name=junctions\n"
    "chrS\t30\t40\tj1\t12\t+\n"
    "chrS\t30\t40\tj1b\t3\t+\n"
    "chrS\t44\t50\tj2\t9\t+\n"
    "chrS\t140\t146\tj3\t7\t+\n"
    "chrS\t20\t26\tj4\t2\t-\n"
    "chrS\t10\t20\tj5\t9\t.\n"
    "chrZ\t10\t20\tj6\t9\t+\n";

const SpliceSite* find(const SpliceAnnotation& a, int64_t pos, char strand, SiteClass cls) {
  for (const SpliceSite& s : a.sites) {
    if (s.position == pos && s.strand == strand && s.cls == cls) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_F(Junctions, BedEvidenceAddsSitesAndReads) {
  SpliceAnnotation a = load(write("j.bed", kBed));
  const JunctionSummary& j = a.junctions;
  EXPECT_FALSE(j.evidence.gff);
  EXPECT_EQ(j.evidence.records, 7u);
  EXPECT_EQ(j.evidence.unstranded, 1u);
  EXPECT_EQ(j.evidence.below_min, 1u);  // j4 (2 reads); j1 + j1b = 15 passes
  EXPECT_EQ(j.off_genome, 1u);
  EXPECT_EQ(j.matched, 1u);
  EXPECT_EQ(j.added, 2u);
  EXPECT_EQ(a.introns.size(), 9u);  // 7 annotated + 2 added
  const SpliceSite* d = find(a, 29, '+', SiteClass::donor);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->reads, 15);  // [30,40) only: T2's [30,70) has no evidence
  EXPECT_TRUE(d->annotated());
  const SpliceSite* e = find(a, 43, '+', SiteClass::donor);
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(e->annotated());
  EXPECT_EQ(e->reads, 9);
  ASSERT_NE(find(a, 50, '+', SiteClass::acceptor), nullptr);
  // Evidence inside a gene span is labelled there; outside genes it is in the whole-chromosome labels only.
  auto spans = a.labels.labelled_spans();
  EXPECT_EQ(spans[0].labels[43 - 10], 2);
  EXPECT_EQ(spans[0].labels[50 - 10], 1);
  EXPECT_EQ(a.labels.at("chrS", '+', 139), SiteClass::donor);
  EXPECT_EQ(a.labels.at("chrS", '+', 146), SiteClass::acceptor);
  // The motif of an evidence-only intron is read too: [44,50) on '+' starts at base 44.
  for (const Intron& i : a.introns) {
    if (i.start == 44) {
      EXPECT_EQ(i.motif, classify_motif("ATTCCA"));
    }
  }
}

TEST_F(Junctions, MinimumCountIsApplied) {
  SpliceAnnotation a = load(write("j.bed", kBed), 1);
  EXPECT_EQ(a.junctions.evidence.below_min, 0u);
  EXPECT_EQ(a.junctions.added, 3u);
  a = load(write("j.bed", kBed), 100);
  EXPECT_EQ(a.junctions.added, 0u);
  EXPECT_EQ(a.introns.size(), 7u);
}

TEST_F(Junctions, GffIntronFeaturesWithoutParent) {
  std::string gff =
      "##gff-version 3\n"
      "chrS\tRNASeq_splice\tintron\t31\t40\t12\t+\t.\tName=RNASeq intron\n"
      "chrS\tRNASeq_splice\tintron\t31\t40\t3.0\t+\t.\t\n"
      "chrS\tRNASeq_splice\tintron\t45\t50\t9\t+\t.\tID=x\n"
      "chrS\tother\tintron\t45\t50\t100\t+\t.\tID=y\n"
      "chrS\tWormBase\tintron\t61\t70\t.\t+\t.\tParent=T1\n"
      "chrS\tRNASeq_splice\tintron\t141\t146\t.\t+\t.\tID=z\n";
  SpliceAnnotation a = load(write("j.txt", gff), 5, "RNASeq_splice");
  EXPECT_TRUE(a.junctions.evidence.gff);  // by content
  EXPECT_EQ(a.junctions.evidence.records, 4u);  // the annotated intron (Parent) and the other source are not evidence
  EXPECT_EQ(a.junctions.evidence.without_count, 1u);
  EXPECT_EQ(a.junctions.matched, 1u);
  EXPECT_EQ(a.junctions.added, 1u);
  EXPECT_EQ(find(a, 29, '+', SiteClass::donor)->reads, 15);
  EXPECT_EQ(find(a, 43, '+', SiteClass::donor)->reads, 9);
  a = load(write("j.gff3", gff));  // any source
  EXPECT_EQ(find(a, 43, '+', SiteClass::donor)->reads, 109);
}

TEST_F(Junctions, MalformedBedNamesFileAndLine) {
  auto error_of = [&](const std::string& text) {
    try {
      load(write("bad.bed", text));
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("chrS\t30\t40\tj1\tmany\t+\n").find("bad.bed:1: column 5 should be the read count, found 'many'"),
            std::string::npos);
  EXPECT_NE(error_of("chrS\t30\t40\tj1\t3\n").find("bad.bed:1: a junction needs 6 columns"), std::string::npos);
  EXPECT_NE(error_of("chrS\t30\t40\tj1\t3\tup\n").find("bad.bed:1: strand 'up'"), std::string::npos);
  EXPECT_NE(error_of("chrS\t30\t30\tj1\t3\t+\n").find("bad.bed:1: an empty intron"), std::string::npos);
  EXPECT_NE(error_of("chrS\t30\t20\tj1\t3\t+\n").find("bad.bed:1: start 30 is after end 20"), std::string::npos);
}

}  // namespace seqdl::data
