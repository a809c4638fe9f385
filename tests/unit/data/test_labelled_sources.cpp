// Every form of labelled input gives the labels, ids, chromosomes and sequences worked out by hand from small
// fixtures written here.
#include <gtest/gtest.h>

#include <map>

#include "common/random_bases.hpp"
#include "common/test_support.hpp"
#include "data/labelled_sources.hpp"
#include "io/region.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

class Labelled : public test::TempDir {
 protected:
  // chr1: 30 bases in three blocks of ten; chr2: 10 bases.
  std::string genome() {
    return write("g.fa", ">chr1\nACGTACGTACGGGGCCCCAATTTTAAAACC\n>chr2\nCATCATCATC\n");
  }
};

std::map<std::string, int> dinucleotides(std::string_view s) {
  std::map<std::string, int> out;
  for (size_t i = 0; i + 1 < s.size(); ++i) ++out[std::string(s.substr(i, 2))];
  return out;
}

}  // namespace

TEST_F(Labelled, TwoClassFilesAreOneBinaryTask) {
  std::string neg = write("neg.fa", ">n1 a comment\nACGTAC\n>chr1:100-200\nAC\n");
  std::string pos = write("pos.fa", ">p1\nGGGGCCCCAA\n>p2\nTTTTTT\n>p3\nACG\nTAC\n");
  LoadedSet got = load_labelled({.classes = {"neg=" + neg, "pos=" + pos}, .length = 6});
  const LabelledSet& s = got.set;
  EXPECT_EQ(s.type, TaskType::binary);
  EXPECT_EQ(s.task_names, (std::vector<std::string>{"pos"}));
  EXPECT_EQ(s.ids, (std::vector<std::string>{"n1", "chr1:100-200", "p1", "p2", "p3"}));
  EXPECT_EQ(s.targets, (std::vector<float>{0, 0, 1, 1, 1}));
  EXPECT_EQ(s.codes, "ACGTAC" "NNACNN" "GGCCCC" "TTTTTT" "ACGTAC");  // padded NN..NN, cropped from the middle
  EXPECT_EQ(s.chroms, (std::vector<std::string>{"", "chr1", "", "", ""}));
  EXPECT_EQ(got.cropped, 1u);
  EXPECT_EQ(got.padded, 1u);
  ASSERT_EQ(got.sources.size(), 2u);
  EXPECT_EQ(got.sources[0].role, "class neg");
  EXPECT_EQ(got.sources[0].records, 2u);
  EXPECT_EQ(got.sources[1].records, 3u);
  EXPECT_EQ(got.sources[1].digest.bytes, 38u);
}

TEST_F(Labelled, ThreeClassFilesAreMulticlass) {
  std::string a = write("a.fa", ">x\nAAAA\n"), b = write("b.fa", ">y\nCCCC\n>z\nGGGG\n");
  std::string c = write("c.fa", ">w\nTTTT\n");
  LoadedSet got = load_labelled({.classes = {"exon=" + a, "intron=" + b, "other=" + c}, .length = 4});
  EXPECT_EQ(got.set.type, TaskType::multiclass);
  EXPECT_EQ(got.set.task_names, (std::vector<std::string>{"exon", "intron", "other"}));
  EXPECT_EQ(got.set.classes, (std::vector<int32_t>{0, 1, 1, 2}));
  EXPECT_EQ(got.set.ids, (std::vector<std::string>{"x", "y", "z", "w"}));
  EXPECT_TRUE(got.set.targets.empty());
}

TEST_F(Labelled, ClassFileMistakes) {
  std::string fa = write("x.fa", ">x\nAAAA\n"), empty = write("empty.fa", "");
  EXPECT_THROW(load_labelled({.classes = {"pos"}, .length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.classes = {"=" + fa}, .length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.classes = {"a=" + fa, "a=" + fa}, .length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.classes = {"neg=" + empty, "pos=" + fa}, .length = 4}), InputError);
  // One class and nothing else: a binary task with positives only.
  EXPECT_THROW(load_labelled({.classes = {"pos=" + fa}, .length = 4}), InputError);
}

TEST_F(Labelled, ShuffledNegativesKeepDinucleotidesIdsAndChromosomes) {
  std::string pos = write("pos.fa", ">chr2:1-12\nACGGTACCGTTA\n>p2\nGGGCCCAAATTT\n");
  LoadedSet got = load_labelled({.classes = {"bound=" + pos}, .negatives = Negatives::shuffle, .length = 12, .seed = 3});
  const LabelledSet& s = got.set;
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(got.shuffled_negatives, 2u);
  EXPECT_EQ(s.ids, (std::vector<std::string>{"chr2:1-12", "p2", "chr2:1-12_shuffled", "p2_shuffled"}));
  EXPECT_EQ(s.targets, (std::vector<float>{1, 1, 0, 0}));
  EXPECT_EQ(s.chroms, (std::vector<std::string>{"chr2", "", "chr2", ""}));
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(dinucleotides(s.sequence(i + 2)), dinucleotides(s.sequence(i))) << i;
  }
}

TEST_F(Labelled, TablesWithLabelColumnsOrAClassColumn) {
  std::string multi = write("m.tsv", "id\tseq\tA\tB\nchr3:1-6\tACGTAC\t1\t0\nr2\tGGGGGG\t0\t0.5\n");
  LoadedSet m = load_labelled({.table = multi, .sequence_column = "seq", .id_column = "id", .label_columns = {"A", "B"},
                               .length = 6});
  EXPECT_EQ(m.set.type, TaskType::multilabel);
  EXPECT_EQ(m.set.task_names, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(m.set.targets, (std::vector<float>{1, 0, 0, 0.5f}));
  EXPECT_EQ(m.set.ids, (std::vector<std::string>{"chr3:1-6", "r2"}));
  EXPECT_EQ(m.set.chroms, (std::vector<std::string>{"chr3", ""}));
  EXPECT_EQ(m.sources.at(0).role, "table");

  // Two classes: binary, the first class seen is the negative one.
  std::string two = write("c2.tsv", "id\tseq\tcls\nr1\tACGTAC\tunbound\nr2\tAAAAAA\tbound\nr3\tCCCCCC\tunbound\n");
  LoadedSet b = load_labelled({.table = two, .sequence_column = "seq", .id_column = "id", .class_column = "cls",
                               .length = 6});
  EXPECT_EQ(b.set.type, TaskType::binary);
  EXPECT_EQ(b.set.task_names, (std::vector<std::string>{"bound"}));
  EXPECT_EQ(b.set.targets, (std::vector<float>{0, 1, 0}));

  std::string three = write("c3.tsv", "seq\tcls\nACGT\tx\nAAAA\ty\nCCCC\tz\nGGGG\ty\n");
  LoadedSet c = load_labelled({.table = three, .sequence_column = "seq", .class_column = "cls", .length = 4});
  EXPECT_EQ(c.set.type, TaskType::multiclass);
  EXPECT_EQ(c.set.task_names, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(c.set.classes, (std::vector<int32_t>{0, 1, 2, 1}));

  std::string one = write("c1.tsv", "seq\tcls\nACGT\tx\nAAAA\tx\n");
  EXPECT_THROW(load_labelled({.table = one, .sequence_column = "seq", .class_column = "cls", .length = 4}), InputError);
  std::string bad = write("bad.tsv", "seq\tA\nACGT\t1.5\n");
  EXPECT_THROW(load_labelled({.table = bad, .sequence_column = "seq", .label_columns = {"A"}, .length = 4}),
               FormatError);
}

TEST_F(Labelled, IntervalsCutCentredWindowsWithTheirLabels) {
  std::string g = genome();
  std::string bed = write("l.bed", "#chrom\tstart\tend\tname\tbound\topen\n"
                                   "chr1\t10\t14\tpeakA\t1\t0\n"
                                   "chr1\t20\t30\tpeakB\t0\t0.5\n"
                                   "chr2\t0\t4\tpeakC\t1\t1\n");
  LoadedSet got = load_labelled({.genome = g, .intervals = bed, .length = 6});
  const LabelledSet& s = got.set;
  EXPECT_EQ(s.type, TaskType::multilabel);
  EXPECT_EQ(s.task_names, (std::vector<std::string>{"bound", "open"}));
  EXPECT_EQ(s.ids, (std::vector<std::string>{"peakA", "peakB", "peakC"}));
  // Centres 12, 25 and 2: windows [9, 15), [22, 28) and [-1, 5) (one N off the contig start).
  EXPECT_EQ(s.codes, "CGGGGC" "TTAAAA" "NCATCA");
  EXPECT_EQ(s.targets, (std::vector<float>{1, 0, 0, 0.5f, 1, 1}));
  EXPECT_EQ(s.chroms, (std::vector<std::string>{"chr1", "chr1", "chr2"}));
  ASSERT_EQ(got.sources.size(), 2u);
  EXPECT_EQ(got.sources[0].role, "genome");
  EXPECT_EQ(got.sources[0].records, 2u);  // contigs
  EXPECT_EQ(got.sources[1].records, 3u);

  // No name column and no header: ids are the intervals, tasks are numbered.
  std::string plain = write("p.bed", "chr1\t0\t4\t1\nchr2\t2\t6\t0\n");
  LoadedSet p = load_labelled({.genome = g, .intervals = plain, .length = 4});
  EXPECT_EQ(p.set.type, TaskType::binary);
  EXPECT_EQ(p.set.task_names, (std::vector<std::string>{"label1"}));
  EXPECT_EQ(p.set.ids, (std::vector<std::string>{"chr1:1-4", "chr2:3-6"}));
  EXPECT_EQ(p.set.codes, "ACGT" "TCAT");

  EXPECT_THROW(load_labelled({.genome = g, .intervals = write("off.bed", "chr2\t5\t20\t1\n"), .length = 4}),
               InputError);
  EXPECT_THROW(load_labelled({.genome = g, .intervals = write("two.bed", "chr1\t0\t4\t1\nchr1\t4\t8\t1\t0\n"),
                              .length = 4}),
               FormatError);  // label columns differ between lines
  EXPECT_THROW(load_labelled({.genome = g, .intervals = write("big.bed", "chr1\t0\t4\t2\n"), .length = 4}),
               FormatError);  // a label outside [0, 1]
}

TEST_F(Labelled, PositivesWithGcMatchedNegatives) {
  std::string chrom = test::random_bases(4000, 11, "ACGT");
  std::string g = write("big.fa", ">chrZ\n" + chrom + "\n");
  std::string bed = write("peaks.bed", "chrZ\t1000\t1020\tp1\nchrZ\t2000\t2100\n");
  LoadedSet got = load_labelled({.genome = g, .positives = bed, .negatives = Negatives::gc_matched, .negative_ratio = 2,
                                 .length = 50, .seed = 1});
  const LabelledSet& s = got.set;
  EXPECT_EQ(s.task_names, (std::vector<std::string>{"peaks"}));
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(got.genomic_negatives, 4u);
  EXPECT_EQ(s.ids[0], "p1");
  EXPECT_EQ(s.ids[1], "chrZ:2001-2100");
  EXPECT_EQ(s.sequence(0), chrom.substr(1010 - 25, 50));  // centre 1010
  EXPECT_EQ(s.sequence(1), chrom.substr(2050 - 25, 50));
  EXPECT_EQ(s.targets, (std::vector<float>{1, 1, 0, 0, 0, 0}));
  for (size_t i = 2; i < s.size(); ++i) {
    io::Region r = io::parse_region(s.ids[i], "id");
    EXPECT_EQ(r.length(), 50);
    EXPECT_EQ(s.sequence(i), chrom.substr(static_cast<size_t>(r.start), 50));
    EXPECT_EQ(s.chroms[i], "chrZ");
    // Neither the peaks nor the positive windows.
    for (auto [a, b] : {std::pair<int64_t, int64_t>{985, 1035}, {2000, 2100}}) {
      EXPECT_FALSE(r.start < b && a < r.end) << s.ids[i];
    }
  }
  LoadedSet again = load_labelled({.genome = g, .positives = bed, .negatives = Negatives::gc_matched, .negative_ratio = 2,
                                   .length = 50, .seed = 1});
  EXPECT_EQ(again.set.ids, s.ids);
}

TEST_F(Labelled, ContradictoryOptions) {
  std::string g = genome(), bed = write("p.bed", "chr1\t0\t4\n"), fa = write("x.fa", ">x\nAAAA\n");
  EXPECT_THROW(load_labelled({.length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.classes = {"a=" + fa}, .table = fa, .length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.classes = {"a=" + fa}, .length = 0}), UsageError);
  EXPECT_THROW(load_labelled({.positives = bed, .negatives = Negatives::shuffle, .length = 4}), UsageError);  // no genome
  EXPECT_THROW(load_labelled({.classes = {"a=" + fa}, .genome = g, .length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.classes = {"a=" + fa}, .negatives = Negatives::gc_matched, .length = 4}), UsageError);
  EXPECT_THROW(load_labelled({.genome = g, .positives = bed, .length = 4}), UsageError);  // no negatives
  EXPECT_THROW(load_labelled({.genome = g, .positives = bed, .negatives = Negatives::shuffle, .negative_ratio = 0, .length = 4}),
               UsageError);
  EXPECT_FALSE(has_labelled_input({}));
  EXPECT_TRUE(has_labelled_input({.positives = bed}));
}

}  // namespace seqdl::data
