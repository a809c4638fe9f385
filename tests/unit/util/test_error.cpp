#include <gtest/gtest.h>

#include <stdexcept>

#include "util/error.hpp"

namespace seqdl {

TEST(Error, TypedErrorsExitWithStatusTwo) {
  EXPECT_EQ(exit_status(UsageError("bad option")), 2);
  EXPECT_EQ(exit_status(InputError("cannot open {}", "x.fa")), 2);
  EXPECT_EQ(exit_status(FormatError("x.bed:{}: bad start", 3)), 2);
  EXPECT_EQ(exit_status(ModelError("not a seqdl model")), 2);
}

TEST(Error, OtherExceptionsExitWithStatusOne) {
  EXPECT_EQ(exit_status(std::runtime_error("boom")), 1);
  EXPECT_EQ(exit_status(std::bad_alloc()), 1);
  EXPECT_EQ(exit_status(std::logic_error("bug")), 1);
}

TEST(Error, KindsAreKept) {
  EXPECT_EQ(UsageError("x").kind(), ErrorKind::usage);
  EXPECT_EQ(InputError("x").kind(), ErrorKind::input);
  EXPECT_EQ(FormatError("x").kind(), ErrorKind::format);
  EXPECT_EQ(ModelError("x").kind(), ErrorKind::model);
}

TEST(Error, FormatsItsMessage) {
  FormatError e("{}:{}: expected {} columns, found {}", "peaks.bed", 12, 3, 2);
  EXPECT_STREQ(e.what(), "peaks.bed:12: expected 3 columns, found 2");
}

TEST(Error, MultiLineForeignMessagesAreCutToTheFirstLine) {
  std::runtime_error e("\n  shape mismatch: [2, 4] vs [3]  \nException raised from foo at bar.cpp:12\nframe #0: ...");
  EXPECT_EQ(one_line_message(e), "shape mismatch: [2, 4] vs [3]");
  EXPECT_EQ(one_line_message(std::runtime_error("")), "unknown error");
}

}  // namespace seqdl
