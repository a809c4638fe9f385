#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl {

TEST(Text, ParsesIntegersStrictly) {
  EXPECT_EQ(parse_int("42", "x"), 42);
  EXPECT_EQ(parse_int(" -7 ", "x"), -7);
  EXPECT_EQ(parse_int("+3", "x"), 3);
  EXPECT_THROW(parse_int("12abc", "x"), FormatError);
  EXPECT_THROW(parse_int("", "x"), FormatError);
  EXPECT_THROW(parse_int("1.5", "x"), FormatError);
  EXPECT_EQ(parse_int_with_commas("1,000,000", "x"), 1000000);
  try {
    parse_int("chr", "peaks.bed:3: start");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_STREQ(e.what(), "peaks.bed:3: start: expected an integer, found 'chr'");
  }
}

TEST(Text, ParsesDoubles) {
  EXPECT_DOUBLE_EQ(parse_double("0.25", "x"), 0.25);
  EXPECT_DOUBLE_EQ(parse_double("1e-3", "x"), 1e-3);
  EXPECT_THROW(parse_double("one", "x"), FormatError);
}

TEST(Text, SplitsAndTrims) {
  auto parts = split("a\tb\t\tc", '\t');
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[2], "");
  EXPECT_EQ(parts[3], "c");
  EXPECT_EQ(trim("  x y\r\n"), "x y");
  EXPECT_TRUE(ends_with_ci("reads.FA.GZ", ".fa.gz"));
  EXPECT_FALSE(ends_with_ci("a.bam", ".cram"));
}

TEST(Text, HumanNumbers) {
  EXPECT_EQ(with_commas(0), "0");
  EXPECT_EQ(with_commas(999), "999");
  EXPECT_EQ(with_commas(1234567), "1,234,567");
  EXPECT_EQ(si_number(2345.6), "2.35k");
  EXPECT_EQ(si_number(12), "12");
  EXPECT_EQ(clock_duration(75.2), "1:15");
  EXPECT_EQ(clock_duration(3725), "1:02:05");
  EXPECT_EQ(exact_number(0.1), "0.1");
  EXPECT_EQ(std::stod(exact_number(1.0 / 3.0)), 1.0 / 3.0);
}

TEST(Text, Join) {
  EXPECT_EQ(join(std::vector<std::string>{"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join(std::vector<std::string>{"only"}, ", "), "only");
  EXPECT_EQ(join(std::vector<std::string>{}, ", "), "");
  EXPECT_EQ(join(std::vector<std::string>{"", "x", ""}, "|"), "|x|");  // empty elements keep their separators
  EXPECT_EQ(join(std::vector<std::string_view>{"chr1", "chr2"}, ""), "chr1chr2");
  const char* words[] = {"one", "two"};
  EXPECT_EQ(join(words, " "), "one two");
  EXPECT_EQ(join(std::vector<int64_t>{3, 4, 200}, ", ", [](int64_t d) { return std::to_string(d); }), "3, 4, 200");
  struct Named {
    std::string name;
  };
  std::vector<Named> named = {{"x"}, {"y"}};
  EXPECT_EQ(join(named, "\t", &Named::name), "x\ty");  // a member pointer is a formatter too
  EXPECT_EQ(join(std::span(named).first(1), ", ", &Named::name), "x");
}

TEST(Random, SameSeedSameStreamAndStreamsDiffer) {
  Rng a(7), b(7), c(7, 1);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
  }
  EXPECT_NE(Rng(7).next(), c.next());
}

TEST(Random, BelowIsUniform) {
  Rng r(1);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) ++counts[r.below(6)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
  for (int i = 0; i < 1000; ++i) {
    double u = r.uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

}  // namespace seqdl
