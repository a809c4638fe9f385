#include <gtest/gtest.h>

#include "util/log.hpp"
#include "util/progress.hpp"

namespace seqdl {

TEST(Progress, OffATerminalPrintsNothing) {
  testing::internal::CaptureStderr();
  {
    Progress p("encode", 1000, "seqs", {.display = ProgressDisplay::none});
    for (int i = 0; i < 1000; ++i) p.add();
    EXPECT_EQ(p.done(), 1000u);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(Progress, AutomaticIsSilentWhenStderrIsNotATerminal) {
  // ctest runs us with stderr on a pipe.
  if (::isatty(STDERR_FILENO)) GTEST_SKIP() << "stderr is a terminal here";
  log::set_level(log::Level::info);
  EXPECT_EQ(resolve_display(ProgressDisplay::automatic), ProgressDisplay::none);
  log::set_level(log::Level::debug);
  EXPECT_EQ(resolve_display(ProgressDisplay::automatic), ProgressDisplay::lines);
  log::set_level(log::Level::info);
}

TEST(Progress, QuietMeansNoProgressEvenOnATerminal) {
  log::set_level(log::Level::warn);
  EXPECT_EQ(resolve_display(ProgressDisplay::automatic), ProgressDisplay::none);
  log::set_level(log::Level::info);
}

TEST(Progress, VerboseLinesAreWholeLogLines) {
  testing::internal::CaptureStderr();
  {
    Progress p("predict", 10, "windows", {.display = ProgressDisplay::lines, .line_interval = 0.0});
    p.add(5);
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("predict  50% 5/10 windows"), std::string::npos) << err;
  EXPECT_EQ(err.find('\r'), std::string::npos);  // no terminal control off a terminal
  EXPECT_EQ(err.back(), '\n');
}

TEST(Progress, BarRedrawsInPlaceAndIsErasedAtTheEnd) {
  testing::internal::CaptureStderr();
  {
    Progress p("train", 4, "batches", {.display = ProgressDisplay::bar, .bar_interval = 0.0});
    p.add(2);
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("\r\033[K"), std::string::npos);
  EXPECT_NE(err.find("[############            ]"), std::string::npos) << err;
  EXPECT_EQ(err.substr(err.size() - 4), "\r\033[K");  // the last thing drawn clears the line
}

TEST(Progress, RenderShowsRateAndEta) {
  std::string s = Progress::render("scan", 250, 1000, "windows", 5.0, false);
  EXPECT_EQ(s, "scan  25% 250/1,000 windows 50 windows/s ETA 0:15");
  std::string unknown = Progress::render("read", 1234567, 0, "reads", 2.0, true);
  EXPECT_EQ(unknown, "read 1,234,567 reads 617k reads/s 0:02");
}

}  // namespace seqdl
