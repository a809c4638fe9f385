#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>

#include "util/atomic_file.hpp"
#include "util/error.hpp"

namespace seqdl {
namespace fs = std::filesystem;

namespace {

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fs::path("seqdl_atomic_" + std::to_string(::getpid()) + "_" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
};

}  // namespace

TEST_F(AtomicFileTest, CommitRenamesIntoPlace) {
  std::string target = (dir_ / "out.tsv").string();
  {
    AtomicFile out(target);
    out.print("{}\t{}\n", "chr1", 42);
    // Before commit only the hidden temporary exists, beside the target.
    ASSERT_EQ(listing().size(), 1u);
    EXPECT_EQ(fs::path(out.temp_path()).parent_path(), dir_);
    EXPECT_FALSE(fs::exists(target));
    out.commit();
  }
  EXPECT_EQ(slurp(target), "chr1\t42\n");
  EXPECT_EQ(listing(), std::vector<std::string>{"out.tsv"});
}

TEST_F(AtomicFileTest, FailureBeforeCommitLeavesNothing) {
  std::string target = (dir_ / "out.tsv").string();
  try {
    AtomicFile out(target);
    out.write("partial");
    throw std::runtime_error("the command failed half way");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicFileTest, FailureKeepsAnOlderFileIntact) {
  std::string target = (dir_ / "model.seqdl").string();
  std::ofstream(target) << "old";
  {
    AtomicFile out(target);
    out.write("new but incomplete");
  }
  EXPECT_EQ(slurp(target), "old");
  EXPECT_EQ(listing().size(), 1u);
}

TEST_F(AtomicFileTest, PathModeReservesANameForLibraries) {
  std::string target = (dir_ / "track.bw").string();
  AtomicFile out(target, AtomicFile::Mode::path);
  EXPECT_EQ(out.file(), nullptr);
  std::ofstream(out.temp_path()) << "written by a library";
  out.commit();
  EXPECT_EQ(slurp(target), "written by a library");
}

TEST_F(AtomicFileTest, DevicesAreWrittenInPlaceNotReplaced) {
  {
    AtomicFile out("/dev/null");
    out.write("discarded");
    out.commit();
  }
  struct stat st{};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null must still be a character device";
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread reader([&] { EXPECT_EQ(slurp(fifo), "through the pipe"); });
  {
    AtomicFile out(fifo);
    out.write("through the pipe");
    out.commit();
  }
  reader.join();
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnInputError) {
  EXPECT_THROW(AtomicFile((dir_ / "no" / "such" / "dir.tsv").string()), InputError);
}

TEST_F(AtomicFileTest, PendingTemporariesAreRemovedOnSignalCleanup) {
  std::string target = (dir_ / "out.tsv").string();
  AtomicFile out(target);
  out.write("x");
  std::fflush(out.file());
  ASSERT_EQ(listing().size(), 1u);
  remove_pending_temporaries();  // what the SIGINT/SIGTERM handler does
  EXPECT_TRUE(listing().empty());
}

TEST_F(AtomicFileTest, DirectoryOutputAppearsOnlyOnCommit) {
  std::string target = (dir_ / "sim").string();
  {
    AtomicDir out(target);
    std::ofstream(out.path("a.fa")) << ">a\nACGT\n";
    EXPECT_FALSE(fs::exists(target));
  }
  EXPECT_TRUE(listing().empty());
  {
    AtomicDir out(target);
    std::ofstream(out.path("a.fa")) << ">a\nACGT\n";
    out.commit();
  }
  EXPECT_EQ(slurp(fs::path(target) / "a.fa"), ">a\nACGT\n");
  EXPECT_EQ(listing(), std::vector<std::string>{"sim"});
}

}  // namespace seqdl
