#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/bed.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {
class BedTest : public test::TempDir {
 protected:
  std::string error_of(const std::string& content, const std::string& name = "bad.bed") {
    try {
      read_bed(write(name, content));
    } catch (const FormatError& e) {
      return e.what();
    }
    return "";
  }
};
}  // namespace

TEST_F(BedTest, ReadsBed6AndSkipsHeaders) {
  auto recs = read_bed(test::fixture("tiny.bed"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].region, (Region{"chr1", 10, 20, "peakA"}));
  EXPECT_EQ(recs[0].score, 900.0);
  EXPECT_EQ(recs[1].strand, '-');
  EXPECT_EQ(recs[1].centre(), 37);  // 30 + 15 / 2
  EXPECT_EQ(recs[2].region.name, "");
  EXPECT_EQ(recs[2].line, 5u);
  EXPECT_TRUE(recs[2].extra.empty());
  EXPECT_EQ(recs[0].extra, (std::vector<std::string>{"peakA", "900", "+"}));
}

TEST_F(BedTest, NarrowPeakSummit) {
  auto recs = read_bed(test::fixture("tiny.narrowPeak"));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].summit, 250);  // start 100 + offset 150
  EXPECT_EQ(recs[0].centre(), 250);
  EXPECT_FALSE(recs[1].summit.has_value());  // -1: no summit called
  EXPECT_EQ(recs[1].centre(), 25);
}

TEST_F(BedTest, MalformedLinesNameFileAndLine) {
  EXPECT_NE(error_of("chr1\t10\t20\nchr1\t50\t40\n").find("bad.bed:2: start 50 is after end 40"), std::string::npos);
  EXPECT_NE(error_of("chr1\tten\t20\n").find("bad.bed:1: start: expected an integer, found 'ten'"), std::string::npos);
  EXPECT_NE(error_of("chr1\t10\n").find("bad.bed:1: expected at least 3 columns"), std::string::npos);
  EXPECT_NE(error_of("chr1\t-5\t10\n").find("negative"), std::string::npos);
  EXPECT_NE(error_of("chr1\t0\t10\tp\t0\t.\t1\t1\t1\t50\n", "x.narrowPeak").find("summit offset 50 is outside"),
            std::string::npos);
}

}  // namespace seqdl::io
