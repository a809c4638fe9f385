#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/test_support.hpp"
#include "io/indexed_fasta.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class IndexedFastaTest : public test::TempDir {};

std::string faidx(const std::string& fa, const std::string& region) {
  std::string out = test::run_command("samtools faidx '" + fa + "' '" + region + "'");
  std::string seq;
  for (size_t pos = out.find('\n') + 1; pos < out.size(); ++pos) {
    if (out[pos] != '\n') seq += out[pos];
  }
  return seq;
}

}  // namespace

TEST_F(IndexedFastaTest, BuildsTheIndexAndFetchesWithCase) {
  std::string fa = write("g.fa", ">c1 desc\nACGTacgtAC\nGTNN\n>c2\nTTTTGGGG\n");
  IndexedFasta g(fa);
  EXPECT_TRUE(fs::exists(fa + ".fai"));
  ASSERT_EQ(g.contigs().size(), 2u);
  EXPECT_EQ(g.contigs()[0].name, "c1");
  EXPECT_EQ(g.length("c1"), 14);
  EXPECT_EQ(g.fetch("c1", 2, 12), "GTacgtACGT");
  EXPECT_EQ(g.fetch("c2", 0, 8), "TTTTGGGG");
  EXPECT_EQ(g.fetch_padded("c2", -3, 2), "NNNTT");
  EXPECT_EQ(g.fetch_padded("c2", 6, 11, 'n'), "GGnnn");
  EXPECT_THROW(g.fetch("c2", 6, 9), InputError);
  EXPECT_THROW(g.length("chrZ"), InputError);
}

TEST_F(IndexedFastaTest, ResolvesRegions) {
  IndexedFasta g(write("g.fa", ">chr1\nACGTACGTAC\n"));
  Region whole = g.resolve(g.parse("chr1", "x"), "x");
  EXPECT_EQ(whole.end, 10);
  EXPECT_THROW(g.resolve(g.parse("chr1:5-11", "x"), "x"), InputError);
  EXPECT_NO_THROW(g.resolve(g.parse("chr1:5-11", "x"), "x", true));
  try {
    g.resolve(g.parse("chrUn:1-5", "--regions"), "--regions");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown contig 'chrUn'"), std::string::npos) << e.what();
  }
}

TEST_F(IndexedFastaTest, UnknownContigsNameAFewKnownOnes) {
  std::string text;
  for (int i = 1; i <= 7; ++i) text += ">c" + std::to_string(i) + "\nACGT\n";
  IndexedFasta g(write("seven.fa", text));
  try {
    g.length("chrZ");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("has c1, c2, c3, c4, c5, ... (7 in all)"), std::string::npos) << e.what();
  }
  IndexedFasta two(write("two.fa", ">a\nAC\n>b\nGT\n"));
  try {
    two.fetch("x", 0, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("has a, b"), std::string::npos) << e.what();
  }
}

// One IndexedFasta shared by threads (the header says fetch may run concurrently): every fetch returns the
// bases the test wrote, whichever thread asked.
TEST_F(IndexedFastaTest, ConcurrentFetchesFromOneObject) {
  std::string text, contig;
  for (int i = 0; i < 3000; ++i) contig += "ACGTTGCAAC"[(i * 7 + i / 13) % 10];
  for (const char* name : {"x", "y"}) text += std::string(">") + name + "\n" + contig + "\n";
  IndexedFasta g(write("shared.fa", text));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 500; ++k) {
        int64_t a = (t * 977 + k * 131) % 2900, b = a + 1 + (k * 37) % 100;
        if (g.fetch(k % 2 ? "x" : "y", a, b) != contig.substr(static_cast<size_t>(a), static_cast<size_t>(b - a))) {
          ++wrong;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// Found by fuzz_indexed_fasta: htslib indexes a record whose only "sequence" line is binary with 0 bases per line,
// and its fetch then divides by that (SIGFPE). The index is checked first.
TEST_F(IndexedFastaTest, RecordsWithoutSequenceLinesAreRefusedBeforeAnyFetch) {
  std::string fa = write("bin.fa", std::string(">a\n\xd8\x9d\xe5\x1c\x1c\x1c\x1c\n+\n"));
  try {
    IndexedFasta g(fa);
    FAIL() << "accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("record 'a' has no regular sequence lines"), std::string::npos) << e.what();
  }
  // A stale or hand-made index saying the same is refused too.
  std::string good = write("g.fa", ">c\nACGT\n");
  write("g.fa.fai", "c\t4\t3\t0\t5\n");
  EXPECT_THROW(IndexedFasta{good}, FormatError);
}

TEST_F(IndexedFastaTest, BgzipGetsItsGziAndPlainGzipIsRefused) {
  SEQDL_TOOL_OR_SKIP("bgzip");
  std::string text = ">c1\nACGTACGTAC\nGGGG\n";
  std::string bgz = write_bgzip("b.fa.gz", text);
  IndexedFasta g(bgz);
  EXPECT_TRUE(fs::exists(bgz + ".gzi"));
  EXPECT_EQ(g.fetch("c1", 8, 14), "ACGGGG");
  std::string gz = write_gzip("p.fa.gz", text);
  try {
    IndexedFasta bad(gz);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bgzip"), std::string::npos) << e.what();
  }
}

TEST_F(IndexedFastaTest, UnindexedFastaInAReadOnlyFolderIsAClearError) {
  fs::create_directories(path("ro"));
  std::string fa = write("ro/g.fa", ">c\nACGT\n");
  fs::permissions(path("ro"), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                  fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  // Root writes through folder permissions, so run the check as an unprivileged user in a child process.
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    try {
      IndexedFasta g(fa);
    } catch (const InputError& e) {
      ::_exit(std::string(e.what()).find("folder is not writable") != std::string::npos ? 0 : 1);
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(4);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: wrong message, 2: wrong error type, 3: cannot drop privileges, 4: no error";
  EXPECT_FALSE(fs::exists(fa + ".fai"));
}

TEST_F(IndexedFastaTest, MatchesSamtoolsFaidxOnARealGenome) {
  SEQDL_SHARED_OR_SKIP(fa, "korflab_1pct_genomes/celegans/celegans_WS282_1pct.fa");
  SEQDL_TOOL_OR_SKIP("samtools");
  IndexedFasta g(fa);
  std::string fai = test::run_command("cut -f1,2 '" + fa + ".fai'");
  std::string ours;
  for (const auto& c : g.contigs()) ours += c.name + "\t" + std::to_string(c.length) + "\n";
  EXPECT_EQ(ours, fai);
  for (const auto& c : g.contigs()) {
    int64_t a = c.length / 3, b = std::min<int64_t>(a + 777, c.length);
    Region r{c.name, a, b, ""};
    EXPECT_EQ(g.fetch(c.name, a, b), faidx(fa, r.to_string())) << r.to_string();
  }
}

}  // namespace seqdl::io
