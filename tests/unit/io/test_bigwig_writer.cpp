// BigWigWriter: what it writes reads back (through seqdl's bigWig coverage source), and a write that fails part way
// (a file size limit standing in for a full disk) is an InputError, never heap corruption in libBigWig, at every
// point of the file: while data blocks go out and while the index and zoom levels are written.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <filesystem>

#include "common/test_support.hpp"
#include "io/bigwig_writer.hpp"
#include "io/coverage_source.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class BigWigWriterTest : public test::TempDir {
 protected:
  std::vector<Contig> contigs{{"c1", 3'000'000}, {"c2", 500}};
  // Runs with gaps, values varying: about 60,000 intervals, several hundred KB of bigWig.
  void write_all(BigWigWriter& w) {
    for (uint32_t i = 0; i < 60'000; ++i) w.add(0, i * 40, i * 40 + 25, static_cast<float>(i % 97) + 0.5F);
    w.add(1, 10, 20, 3.0F);
  }
};

// Lowers the soft file size limit for the scope and ignores SIGXFSZ, so that writes past it fail with EFBIG.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit r = old_;
    r.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &r);
    old_handler_ = signal(SIGXFSZ, SIG_IGN);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  sighandler_t old_handler_{};
};

}  // namespace

TEST_F(BigWigWriterTest, WhatIsWrittenReadsBack) {
  std::string file = path("t.bw");
  BigWigWriter w(file, "t.bw", contigs);
  write_all(w);
  w.close();
  CoverageOptions o;
  o.inputs = {file};
  o.strands = StrandMode::combined;
  CoverageSummary summary;
  CoverageStore store = count_coverage(o, contigs, summary);
  auto runs = store.runs(0, 0);
  ASSERT_EQ(runs.size(), 60'000u);
  EXPECT_EQ(runs[7].start, 280u);
  EXPECT_EQ(runs[7].end, 305u);
  EXPECT_FLOAT_EQ(runs[7].value, 7.5F);
  EXPECT_FLOAT_EQ(runs[59'999].value, static_cast<float>(59'999 % 97) + 0.5F);
  ASSERT_EQ(store.runs(1, 0).size(), 1u);
}

TEST_F(BigWigWriterTest, AFailedWriteAnywhereIsAnInputError) {
  std::string full = path("full.bw");
  {
    BigWigWriter w(full, "full.bw", contigs);
    write_all(w);
    w.close();
  }
  auto size = static_cast<rlim_t>(std::filesystem::file_size(full));
  // From the header to the last bytes of the closing magic.
  for (rlim_t limit : {rlim_t{100}, rlim_t{5000}, size / 4, size / 2, size - 20000, size - 3000, size - 100, size - 1}) {
    std::string cut = path("cut.bw");
    bool refused = false;
    {
      FileSizeLimit cap(limit);
      try {
        BigWigWriter w(cut, "cut.bw", contigs);
        write_all(w);
        w.close();
      } catch (const InputError& e) {
        refused = true;
        EXPECT_NE(std::string(e.what()).find("cannot write bigWig cut.bw"), std::string::npos) << e.what();
      }
    }
    EXPECT_TRUE(refused) << "a " << limit << "-byte limit for a " << size << "-byte file";
  }
}

}  // namespace seqdl::io
