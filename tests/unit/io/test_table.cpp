#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/label_table.hpp"
#include "io/table.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {
class TableTest : public test::TempDir {};
}

TEST_F(TableTest, NumericLabelColumns) {
  LabelTable t = read_label_table({test::fixture("labels.tsv"), "seq", {"Bound", "Strong"}, "", "id"});
  EXPECT_EQ(t.ids, (std::vector<std::string>{"r1", "r2", "r3"}));
  EXPECT_EQ(t.sequences[2], "ggggcccc");
  EXPECT_EQ(t.tasks, (std::vector<std::string>{"Bound", "Strong"}));
  EXPECT_EQ(t.labels, (std::vector<float>{1, 0, 0, 0, 1, 1}));
}

TEST_F(TableTest, ClassColumnWithPaddedCsv) {
  LabelTable t = read_label_table({test::fixture("splice_like.csv"), "Sequence", {}, "Class", "Donor"});
  EXPECT_EQ(t.class_names, (std::vector<std::string>{"EI", "IE", "N"}));
  EXPECT_EQ(t.classes, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(t.ids[1], "A-2");
  EXPECT_EQ(t.sequences[0], "ACGTAC");
}

TEST_F(TableTest, Errors) {
  try {
    read_label_table({test::fixture("labels.tsv"), "seq", {"Bnd"}, "", ""});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--label-columns names column 'Bnd', but the table's columns are: id, seq, "
                                         "Bound, Strong"), std::string::npos) << e.what();
  }
  std::string bad = write("bad.tsv", "seq\tBound\nACGT\t1\nACGT\tyes\n");
  try {
    read_label_table({bad, "seq", {"Bound"}, "", ""});
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.tsv:3: column 'Bound': expected a number, found 'yes'"),
              std::string::npos) << e.what();
  }
  std::string ragged = write("ragged.tsv", "seq\tBound\nACGT\t1\t7\n");
  EXPECT_THROW(read_label_table({ragged, "seq", {"Bound"}, "", ""}), FormatError);
  std::string badseq = write("badseq.tsv", "seq\tBound\nAC-GT\t1\n");
  EXPECT_THROW(read_label_table({badseq, "seq", {"Bound"}, "", ""}), FormatError);
  EXPECT_THROW(read_label_table({write("empty.tsv", ""), "seq", {"Bound"}, "", ""}), FormatError);
  EXPECT_THROW(read_label_table({test::fixture("labels.tsv"), "seq", {}, "", ""}), UsageError);
}

TEST_F(TableTest, DeepBindSeqFilesLoadAsTheyAre) {
  SEQDL_SHARED_OR_SKIP(path, "deepbind_encode_chipseq/USF1_H1-hESC_USF-1_HudsonAlpha_B.seq.gz");
  LabelTable t = read_label_table({path, "seq", {"Bound"}, "", "EventID"});
  // 1:1 positives and shuffled negatives (PROVENANCE.md); counted independently with zcat below.
  std::string n = test::run_command("zcat '" + path + "' | tail -n +2 | wc -l");
  std::string pos = test::run_command("zcat '" + path + "' | tail -n +2 | awk -F'\\t' '$4 == 1' | wc -l");
  EXPECT_EQ(t.sequences.size(), std::stoul(n));
  EXPECT_EQ(std::count(t.labels.begin(), t.labels.end(), 1.0f), static_cast<long>(std::stoul(pos)));
  EXPECT_EQ(t.sequences[0].size(), 101u);
}

}  // namespace seqdl::io
