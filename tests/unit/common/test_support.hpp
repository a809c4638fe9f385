// Helpers shared by the unit tests: a private temporary directory, small file writers, running the
// independent reference tools (samtools, bcftools, python3) and locating ../shared/data.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace seqdl {
namespace fs = std::filesystem;
}

namespace seqdl::test {

// Skips the current test when ../shared/data (or a file in it) is absent, e.g. in a user's fresh clone.
#define SEQDL_SHARED_OR_SKIP(var, relative)                                                   \
  std::string var = std::string(SEQDL_SHARED_DATA) + "/" + (relative);                      \
  if (!std::filesystem::exists(var)) GTEST_SKIP() << "../shared/data is absent here (" << var << ")"

// Skips the current test when a reference tool is not installed.
#define SEQDL_TOOL_OR_SKIP(tool)                                                                   \
  if (std::system("command -v " tool " >/dev/null 2>&1") != 0) GTEST_SKIP() << tool " is not installed"

inline std::string fixture(const std::string& name) { return std::string(SEQDL_SOURCE_DIR) + "/tests/fixtures/" + name; }

// stdout of a shell command; fails the test if it exits non-zero.
inline std::string run_command(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "cannot run: " << cmd;
    return out;
  }
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  EXPECT_EQ(status, 0) << "command failed: " << cmd;
  return out;
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("seqdl_") + info->test_suite_name() + "_" + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::string write(const std::string& name, const std::string& content) const {
    std::string p = path(name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  // Writes `content` gzip-compressed (plain gzip, not bgzip) through the system's gzip.
  std::string write_gzip(const std::string& name, const std::string& content) const {
    std::string plain = write(name + ".plain", content);
    std::string p = path(name);
    run_command("gzip -c '" + plain + "' > '" + p + "'");
    return p;
  }

  std::string write_bgzip(const std::string& name, const std::string& content) const {
    std::string plain = write(name + ".plain", content);
    std::string p = path(name);
    run_command("bgzip -c '" + plain + "' > '" + p + "'");
    return p;
  }

  fs::path dir_;
};

}  // namespace seqdl::test
