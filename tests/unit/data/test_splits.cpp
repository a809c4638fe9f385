// Train / validation / test splits: the properties that keep evaluation honest, checked by enumerating the
// examples in the test (which split each example went to, which sequences each split holds), never by asking
// make_splits again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/random_bases.hpp"
#include "common/test_support.hpp"
#include "data/splits.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A binary set whose label is a function of the id (odd index: positive), so a split that shuffled labels
// away from their examples would show.
LabelledSet binary_set(const std::vector<std::string>& seqs, const std::vector<std::string>& chroms = {}) {
  LabelledSet set;
  set.type = TaskType::binary;
  set.task_names = {"bound"};
  set.length = seqs.empty() ? 4 : static_cast<int64_t>(seqs[0].size());
  for (size_t i = 0; i < seqs.size(); ++i) {
    float label = static_cast<float>(i % 2);
    set.add("s" + std::to_string(i), seqs[i], &label, 0, chroms.empty() ? "" : chroms[i]);
  }
  return set;
}

std::vector<std::string> unique_sequences(size_t n, size_t length, uint64_t seed) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  uint64_t k = seed;
  while (out.size() < n) {
    std::string s = test::random_bases(length, k++, "ACGT");
    if (seen.insert(s).second) out.push_back(s);
  }
  return out;
}

std::vector<std::string> ids_of(const LabelledSet& s) { return s.ids; }

std::set<std::string> sequences_of(const LabelledSet& s) {
  std::set<std::string> out;
  for (size_t i = 0; i < s.size(); ++i) out.insert(upper(s.sequence(i)));
  return out;
}

bool disjoint(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::none_of(a.begin(), a.end(), [&](const std::string& x) { return b.count(x) != 0; });
}

// Every example of `split` keeps its own sequence, chromosome and label (the label is id-derived).
void expect_rows_intact(const LabelledSet& split, const LabelledSet& whole) {
  std::map<std::string, size_t> row;
  for (size_t i = 0; i < whole.size(); ++i) row[whole.ids[i]] = i;
  ASSERT_EQ(split.targets.size(), split.size());
  for (size_t i = 0; i < split.size(); ++i) {
    size_t r = row.at(split.ids[i]);
    EXPECT_EQ(split.sequence(i), whole.sequence(r));
    EXPECT_EQ(split.chroms[i], whole.chroms[r]);
    EXPECT_EQ(split.targets[i], whole.targets[r]) << split.ids[i];
  }
}

}  // namespace

TEST(Splits, FractionsPartitionUniqueSequences) {
  LabelledSet set = binary_set(unique_sequences(1000, 12, 1));
  Splits s = make_splits(set, {.valid_fraction = 0.1, .test_fraction = 0.2, .seed = 5});
  // floor(1000 * 0.2) test, floor(1000 * 0.1) valid, the rest train.
  EXPECT_EQ(s.test.size(), 200u);
  EXPECT_EQ(s.valid.size(), 100u);
  EXPECT_EQ(s.train.size(), 700u);
  EXPECT_EQ(s.dropped_duplicates, 0u);
  std::vector<std::string> all = ids_of(s.train);
  for (const auto* part : {&s.valid, &s.test}) all.insert(all.end(), part->ids.begin(), part->ids.end());
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected = set.ids;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(all, expected);  // every example exactly once
  for (const auto* part : {&s.train, &s.valid, &s.test}) expect_rows_intact(*part, set);
  EXPECT_TRUE(disjoint(sequences_of(s.train), sequences_of(s.valid)));
  EXPECT_TRUE(disjoint(sequences_of(s.train), sequences_of(s.test)));
  EXPECT_TRUE(disjoint(sequences_of(s.valid), sequences_of(s.test)));
}

TEST(Splits, FractionsAreDeterministicPerSeed) {
  LabelledSet set = binary_set(unique_sequences(300, 10, 2));
  Splits a = make_splits(set, {.valid_fraction = 0.2, .test_fraction = 0.1, .seed = 7});
  Splits b = make_splits(set, {.valid_fraction = 0.2, .test_fraction = 0.1, .seed = 7});
  Splits c = make_splits(set, {.valid_fraction = 0.2, .test_fraction = 0.1, .seed = 8});
  EXPECT_EQ(a.train.ids, b.train.ids);
  EXPECT_EQ(a.valid.ids, b.valid.ids);
  EXPECT_EQ(a.test.ids, b.test.ids);
  EXPECT_NE(a.valid.ids, c.valid.ids);
  // Within a split, examples keep the set's order (the shuffle only chooses the split).
  for (const auto* part : {&a.train, &a.valid, &a.test}) {
    std::vector<int> index;
    for (const auto& id : part->ids) index.push_back(std::stoi(id.substr(1)));
    EXPECT_TRUE(std::is_sorted(index.begin(), index.end()));
  }
}

TEST(Splits, DuplicatesNeverStraddleFractionSplits) {
  // 4-base sequences over ACGT: 2,000 draws from 256 possible sequences, so nearly every one repeats, some in
  // lower case.
  std::vector<std::string> seqs;
  for (uint64_t k = 0; k < 2000; ++k) {
    std::string s = test::random_bases(4, 100 + k, "ACGT");
    if (k % 3 == 0) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    seqs.push_back(s);
  }
  LabelledSet set = binary_set(seqs);
  for (uint64_t seed : {0, 1, 2, 3}) {
    Splits s = make_splits(set, {.valid_fraction = 0.15, .test_fraction = 0.15, .seed = seed});
    auto train = sequences_of(s.train), valid = sequences_of(s.valid), test = sequences_of(s.test);
    EXPECT_TRUE(disjoint(train, valid)) << seed;
    EXPECT_TRUE(disjoint(train, test)) << seed;
    EXPECT_TRUE(disjoint(valid, test)) << seed;
    EXPECT_EQ(s.train.size() + s.valid.size() + s.test.size() + s.dropped_duplicates, set.size()) << seed;
    EXPECT_GT(s.dropped_duplicates, 0u);
    // Nothing was dropped from train, and a sequence repeated within one split keeps every copy.
    EXPECT_EQ(s.train.size(), set.size() - 300 - 300) << seed;
    for (const auto* part : {&s.train, &s.valid, &s.test}) expect_rows_intact(*part, set);
  }
}

TEST(Splits, ChromosomesChooseTheSplit) {
  std::vector<std::string> seqs = unique_sequences(10, 8, 3);
  std::vector<std::string> chroms = {"chr1", "chr2", "chr3", "chr4", "chr1", "chr2", "chr3", "chr4", "chr5", "chr1"};
  LabelledSet set = binary_set(seqs, chroms);
  Splits s = make_splits(set, {.valid_fraction = 0.5, .valid_chroms = {"chr2"}, .test_chroms = {"chr3", "chr4"}});
  EXPECT_EQ(s.train.ids, (std::vector<std::string>{"s0", "s4", "s8", "s9"}));
  EXPECT_EQ(s.valid.ids, (std::vector<std::string>{"s1", "s5"}));
  EXPECT_EQ(s.test.ids, (std::vector<std::string>{"s2", "s3", "s6", "s7"}));
  for (const auto* part : {&s.train, &s.valid, &s.test}) expect_rows_intact(*part, set);
  // The seed plays no part in chromosome splits.
  Splits other = make_splits(set, {.valid_chroms = {"chr2"}, .test_chroms = {"chr3", "chr4"}, .seed = 99});
  EXPECT_EQ(other.valid.ids, s.valid.ids);
  // Only a test chromosome: valid is empty.
  Splits test_only = make_splits(set, {.test_chroms = {"chr5"}});
  EXPECT_EQ(test_only.valid.size(), 0u);
  EXPECT_EQ(test_only.test.ids, (std::vector<std::string>{"s8"}));
  EXPECT_EQ(test_only.train.size(), 9u);
}

TEST(Splits, DuplicatesStayInTheEarliestChromosomeSplit) {
  // s0 (train) = s1 (valid, other case) = s2 (test); s3 (valid) = s4 (test); s5 = s6 both in train.
  std::vector<std::string> seqs = {"ACGTACGT", "acgtACGT", "ACGTACGT", "TTTTGGGG", "TTTTGGGG",
                                   "CCCCAAAA", "CCCCAAAA", "GATTACAA"};
  std::vector<std::string> chroms = {"chr1", "chr2", "chr3", "chr2", "chr3", "chr1", "chr1", "chr3"};
  Splits s = make_splits(binary_set(seqs, chroms), {.valid_chroms = {"chr2"}, .test_chroms = {"chr3"}});
  EXPECT_EQ(s.train.ids, (std::vector<std::string>{"s0", "s5", "s6"}));
  EXPECT_EQ(s.valid.ids, (std::vector<std::string>{"s3"}));
  EXPECT_EQ(s.test.ids, (std::vector<std::string>{"s7"}));
  EXPECT_EQ(s.dropped_duplicates, 3u);
}

TEST(Splits, RejectsWhatCannotBeSplit) {
  LabelledSet set = binary_set(unique_sequences(20, 8, 4));
  EXPECT_THROW(make_splits(set, {.valid_fraction = 0.5, .test_fraction = 0.5}), UsageError);
  EXPECT_THROW(make_splits(set, {.valid_fraction = -0.1}), UsageError);
  EXPECT_THROW(make_splits(set, {.valid_fraction = 0.1, .test_fraction = -0.01}), UsageError);
  // Chromosome splits need chromosomes.
  EXPECT_THROW(make_splits(set, {.valid_chroms = {"chr1"}}), UsageError);
  // Everything held out: no training data.
  std::vector<std::string> chroms(20, "chr1");
  LabelledSet on_chr1 = binary_set(unique_sequences(20, 8, 4), chroms);
  EXPECT_THROW(make_splits(on_chr1, {.valid_chroms = {"chr1"}}), UsageError);
}

TEST(Splits, ANamedChromosomeWithoutExamplesIsAnError) {
  // A typo ("8" for "chr8") would otherwise leave the test or validation set silently empty.
  LabelledSet set = binary_set(unique_sequences(4, 8, 5), {"chr1", "chr2", "chr8", "chr8"});
  try {
    make_splits(set, {.test_chroms = {"8"}});
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--test-chroms"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'8'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("chr1, chr2, chr8"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_splits(set, {.valid_chroms = {"chr2", "chrX"}, .test_chroms = {"chr8"}}), UsageError);
  // One chromosome in both lists is a contradiction, not a silent choice.
  EXPECT_THROW(make_splits(set, {.valid_chroms = {"chr8"}, .test_chroms = {"chr8"}}), UsageError);
}

TEST(Splits, SmallAndEmptySplits) {
  LabelledSet one = binary_set({"ACGT"});
  Splits s = make_splits(one, {.valid_fraction = 0.1, .test_fraction = 0.1});
  EXPECT_EQ(s.train.size(), 1u);  // floor(0.1) = 0 valid and test
  EXPECT_EQ(s.valid.size(), 0u);
  EXPECT_EQ(s.test.size(), 0u);
  EXPECT_EQ(s.valid.task_names, one.task_names);  // empty splits still describe the task
  EXPECT_EQ(s.valid.length, one.length);
  Splits none = make_splits(binary_set(unique_sequences(50, 6, 6)), {.valid_fraction = 0, .test_fraction = 0});
  EXPECT_EQ(none.train.size(), 50u);
  EXPECT_EQ(none.valid.size() + none.test.size(), 0u);
  EXPECT_THROW(make_splits(LabelledSet{}, {}), UsageError);  // no examples at all: nothing to train on
}

TEST(Splits, MulticlassLabelsFollowTheirExamples) {
  LabelledSet set;
  set.type = TaskType::multiclass;
  set.task_names = {"a", "b", "c"};
  set.length = 10;
  std::vector<std::string> seqs = unique_sequences(90, 10, 7);
  for (size_t i = 0; i < seqs.size(); ++i) {
    set.add("s" + std::to_string(i), seqs[i], nullptr, static_cast<int32_t>(i % 3));
  }
  Splits s = make_splits(set, {.valid_fraction = 0.3, .test_fraction = 0.3, .seed = 1});
  for (const auto* part : {&s.train, &s.valid, &s.test}) {
    ASSERT_EQ(part->classes.size(), part->size());
    for (size_t i = 0; i < part->size(); ++i) {
      EXPECT_EQ(part->classes[i], std::stoi(part->ids[i].substr(1)) % 3) << part->ids[i];
    }
  }
}

class SplitFiles : public test::TempDir {};

TEST_F(SplitFiles, WriteSplitAsALabelTable) {
  LabelledSet multilabel;
  multilabel.type = TaskType::multilabel;
  multilabel.task_names = {"t1", "t2"};
  multilabel.length = 4;
  float a[] = {1, 0}, b[] = {0.25f, 1};
  multilabel.add("x", "ACGT", a, 0);
  multilabel.add("y", "acgN", b, 0);
  write_split(multilabel, path("m.tsv"));
  std::stringstream m;
  m << std::ifstream(path("m.tsv")).rdbuf();
  EXPECT_EQ(m.str(), "id\tsequence\tt1\tt2\nx\tACGT\t1\t0\ny\tacgN\t0.25\t1\n");

  LabelledSet classes;
  classes.type = TaskType::multiclass;
  classes.task_names = {"exon", "intron", "other"};
  classes.length = 2;
  classes.add("p", "AC", nullptr, 2);
  classes.add("q", "GT", nullptr, 0);
  write_split(classes, path("c.tsv"));
  std::stringstream c;
  c << std::ifstream(path("c.tsv")).rdbuf();
  EXPECT_EQ(c.str(), "id\tsequence\tclass\np\tAC\tother\nq\tGT\texon\n");
  EXPECT_EQ(split_label_columns(classes), (std::vector<std::string>{"class"}));
  EXPECT_EQ(split_label_columns(multilabel), (std::vector<std::string>{"t1", "t2"}));
}

}  // namespace seqdl::data
