#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "evaluate/score_tables.hpp"
#include "util/error.hpp"

#include <fmt/format.h>

#define EXPECT_CONTAINS(text, part)                                          \
  do {                                                                       \
    std::string text_ = (text);                                              \
    EXPECT_NE(text_.find(part), std::string::npos) << "in: " << text_;       \
  } while (0)

namespace seqdl::evaluate {
namespace {

class ScoreTables : public test::TempDir {
 protected:
  ScoredSet read(const std::string& scores, const std::string& labels, ScoreTableSpec spec = {},
                 ScoreTableStats* stats = nullptr) {
    spec.scores = write("scores.tsv", scores);
    spec.labels = write("labels.tsv", labels);
    return read_scores_and_labels(spec, stats);
  }
  std::string error(const std::string& scores, const std::string& labels, ScoreTableSpec spec = {}) {
    try {
      read(scores, labels, std::move(spec));
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
  }
};

}  // namespace

TEST_F(ScoreTables, BinaryInTheSameOrder) {
  ScoreTableStats stats;
  ScoredSet s = read("id\tscore\na\t0.5\nb\t-1e3\nc\t+2\n", "id\tlabel\na\t1\nb\t0\nc\t1.0\n", {}, &stats);
  EXPECT_EQ(s.type, data::TaskType::binary);
  ASSERT_EQ(s.rows, 3u);
  EXPECT_EQ(s.scores, (std::vector<double>{0.5, -1000, 2}));
  EXPECT_EQ(s.labels, (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(s.names, std::vector<std::string>{"label"});
  EXPECT_EQ(stats.in_order, 3u);
  EXPECT_EQ(stats.by_id, 0u);
}

TEST_F(ScoreTables, JoinsByIdWhenTheOrderDiffers) {
  ScoreTableStats stats;
  ScoredSet s = read("id\tscore\na\t0.1\nb\t0.2\nc\t0.3\nd\t0.4\n", "label\tid\n0\ta\n1\td\n0\tc\n1\tb\n", {}, &stats);
  ASSERT_EQ(s.rows, 4u);
  EXPECT_EQ(s.scores, (std::vector<double>{0.1, 0.2, 0.3, 0.4}));
  EXPECT_EQ(s.labels, (std::vector<uint8_t>{0, 1, 0, 1}));
  EXPECT_EQ(stats.in_order, 1u);
  EXPECT_EQ(stats.by_id, 3u);
}

TEST_F(ScoreTables, ManyIdsInAnotherOrder) {
  // 20,000 ids in reverse order: every row goes through the id index (with its probing and prefetching).
  std::string scores = "id\tscore\n", labels = "id\tlabel\n";
  const int n = 20000;
  for (int i = 0; i < n; ++i) scores += fmt::format("chr1:{}-{}\t{}\n", i, i + 100, i);
  for (int i = n; i-- > 0;) labels += fmt::format("chr1:{}-{}\t{}\n", i, i + 100, i % 3 == 0 ? 1 : 0);
  ScoreTableStats stats;
  ScoredSet s = read(scores, labels, {}, &stats);
  ASSERT_EQ(s.rows, static_cast<size_t>(n));
  EXPECT_EQ(stats.by_id, static_cast<uint64_t>(n));
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(s.scores[i], i);
    ASSERT_EQ(s.labels[i], i % 3 == 0) << i;
  }
}

TEST_F(ScoreTables, MotifScanPerSequenceMaxOutputReadsAsItIs) {
  ScoredSet s = read(
      "id\tscore\tp_value\tmotif_id\tmotif_name\tstart\tend\tstrand\tmatched_sequence\n"
      "s1\t9.5\t1e-5\tMA1\tCTCF\t3\t21\t+\tACGT\ns2\t-3.25\t0.2\tMA1\tCTCF\t1\t19\t-\tACGA\n",
      "id\tlabel\ns2\t0\ns1\t1\n");
  EXPECT_EQ(s.scores, (std::vector<double>{9.5, -3.25}));
  EXPECT_EQ(s.labels, (std::vector<uint8_t>{1, 0}));
}

TEST_F(ScoreTables, MultiClassFromClassNames) {
  ScoredSet s = read("id,N,EI,IE\nx,0.7,0.2,0.1\ny,0.1,0.1,0.8\n", "id,class\ny,IE\nx,EI\n");
  EXPECT_EQ(s.type, data::TaskType::multiclass);
  EXPECT_EQ(s.names, (std::vector<std::string>{"N", "EI", "IE"}));
  EXPECT_EQ(s.classes, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(s.scores.size(), 6u);
}

TEST_F(ScoreTables, MultiLabelPairedByName) {
  ScoredSet s = read("id\tA\tB\nr1\t0.1\t0.9\nr2\t0.4\t0.3\n", "id\tB\tA\nr1\t1\t0\nr2\t0\t1\n");
  EXPECT_EQ(s.type, data::TaskType::multilabel);
  EXPECT_EQ(s.names, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(s.labels, (std::vector<uint8_t>{0, 1, 1, 0}));
}

TEST_F(ScoreTables, ExplicitColumnsAndNames) {
  ScoreTableSpec spec;
  spec.score_columns = {"p"};
  spec.label_columns = {"bound"};
  spec.task_names = {"USF1"};
  ScoredSet s = read("id\tp\tq\na\t0.2\tx\n", "id\tbound\na\t1\n", spec);
  EXPECT_EQ(s.names, std::vector<std::string>{"USF1"});
  EXPECT_EQ(s.scores, std::vector<double>{0.2});
}

TEST_F(ScoreTables, BadInputNamesTheFileAndLine) {
  EXPECT_CONTAINS(error("id\tscore\na\tnan\n", "id\tlabel\na\t1\n"), "scores.tsv:2: score column 'score' is nan");
  EXPECT_CONTAINS(error("id\tscore\na\tx1\n", "id\tlabel\na\t1\n"), "'x1' is not a number");
  EXPECT_CONTAINS(error("id\tscore\na\t1\n", "id\tlabel\na\t2\n"), "labels.tsv:2: label column 'label' '2' is not a binary label");
  EXPECT_CONTAINS(error("id\tscore\na\t1\nb\t2\n", "id\tlabel\na\t1\nc\t0\n"), "scores.tsv:3: id 'b' has no label");
  EXPECT_CONTAINS(error("id\tscore\na\t1\n", "id\tlabel\na\t1\nc\t0\n"), "1 id in");
  EXPECT_CONTAINS(error("id\tscore\na\t1\nb\t2\n", "id\tlabel\nb\t1\nb\t0\n"), "'b' is listed twice");
  EXPECT_CONTAINS(error("id\tscore\na\t1\nb\t2\na\t3\n", "id\tlabel\nb\t1\na\t0\n"), "scores.tsv:4");
  EXPECT_CONTAINS(error("id,A,B\nx,0.5,0.5\n", "id,class\nx,C\n"), "class 'C' is not one of the classes");
  EXPECT_CONTAINS(error("", "id\tlabel\na\t1\n"), "empty file");
  EXPECT_CONTAINS(error("id\tscore\n", "id\tlabel\n"), "no rows");
  EXPECT_CONTAINS(error("name\tscore\na\t1\n", "id\tlabel\na\t1\n"), "names column 'id'");
  EXPECT_CONTAINS(error("id\tscore\na\t1\t2\n", "id\tlabel\na\t1\n"), "expected 2 fields");
  EXPECT_CONTAINS(error("id\tA\tB\na\t1\t2\n", "id\tC\tD\na\t1\t0\n"), "do not pair up by name");
}

}  // namespace seqdl::evaluate
