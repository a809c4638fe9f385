#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/line_reader.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class LineReaderTest : public test::TempDir {
 protected:
  std::vector<std::string> all_lines(const std::string& path) {
    LineReader r(path);
    std::vector<std::string> out;
    std::string_view line;
    while (r.next(line)) out.emplace_back(line);
    return out;
  }
};

}  // namespace

TEST_F(LineReaderTest, PlainGzipAndBgzipReadAlike) {
  std::string text = "first\nsecond\r\n\nlast without newline";
  std::vector<std::string> expected{"first", "second", "", "last without newline"};
  EXPECT_EQ(all_lines(write("a.txt", text)), expected);
  EXPECT_EQ(all_lines(write_gzip("a.txt.gz", text)), expected);
  EXPECT_EQ(all_lines(write_bgzip("b.txt.gz", text)), expected);
}

TEST_F(LineReaderTest, LongLinesCrossBufferBoundaries) {
  std::string big(5'000'000, 'A');
  std::string text = "x\n" + big + "\ny\n";
  auto lines = all_lines(write("big.txt", text));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), big.size());
  EXPECT_EQ(lines[2], "y");
}

TEST_F(LineReaderTest, CountsLinesForMessages) {
  LineReader r(write("a.txt", "a\nb\nc\n"));
  std::string_view line;
  r.next(line);
  r.next(line);
  EXPECT_EQ(r.line_number(), 2u);
  EXPECT_EQ(r.where(), path("a.txt") + ":2");
  r.peek(line);
  EXPECT_EQ(line, "c");
  EXPECT_EQ(r.line_number(), 2u);
  r.next(line);
  EXPECT_EQ(line, "c");
  EXPECT_EQ(r.line_number(), 3u);
}

TEST_F(LineReaderTest, TruncatedGzipIsAFormatError) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "ACGTACGTACGTTTGACCA" + std::to_string(i) + "\n";
  for (bool bgzf : {false, true}) {
    std::string gz = bgzf ? write_bgzip("t.gz", text) : write_gzip("t.gz", text);
    auto size = fs::file_size(gz);
    fs::resize_file(gz, size / 2);
    try {
      all_lines(gz);
      FAIL() << "a truncated file read without error";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
  }
}

TEST_F(LineReaderTest, BinaryDataIsAFormatError) {
  std::string bin("PK\x03\x04\x00\x00binary", 12);
  EXPECT_THROW(all_lines(write("x.zip", bin)), FormatError);
}

TEST_F(LineReaderTest, MissingFileIsAnInputError) {
  try {
    LineReader r(path("nope.txt"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("nope.txt"), std::string::npos);
  }
}

}  // namespace seqdl::io
