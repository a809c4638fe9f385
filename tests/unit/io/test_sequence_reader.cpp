#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/sequence_reader.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class SequenceReaderTest : public test::TempDir {
 protected:
  std::vector<SequenceRecord> read_all(const std::string& path) {
    SequenceReader r(path);
    std::vector<SequenceRecord> out;
    SequenceRecord rec;
    while (r.next(rec)) out.push_back(rec);
    return out;
  }
  // The FormatError message for reading a file, or "" if it read cleanly.
  std::string error_of(const std::string& content) {
    try {
      read_all(write("bad.fa", content));
    } catch (const FormatError& e) {
      return e.what();
    }
    return "";
  }
};

}  // namespace

TEST_F(SequenceReaderTest, MultiLineFastaKeepsCase) {
  auto recs = read_all(test::fixture("tiny.fa"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].name, "seq1");
  EXPECT_EQ(recs[0].comment, "first record, two lines");
  EXPECT_EQ(recs[0].seq, "ACGTacgtNNRYKM");
  EXPECT_EQ(recs[1].seq, "ggggCCCCaaaaTTTT");
  EXPECT_EQ(recs[2].seq, "acgtn");
  EXPECT_TRUE(recs[2].qual.empty());
}

TEST_F(SequenceReaderTest, CrlfLineEndings) {
  auto recs = read_all(test::fixture("crlf.fa"));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].seq, "ACGTTTAA");
  EXPECT_EQ(recs[0].comment, "windows line endings");
  EXPECT_EQ(recs[1].seq, "GGCC");
}

TEST_F(SequenceReaderTest, Fastq) {
  SequenceReader r(test::fixture("tiny.fq"));
  SequenceRecord rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_TRUE(r.is_fastq());
  EXPECT_EQ(rec.name, "read1");
  EXPECT_EQ(rec.seq, "ACGTNACGT");
  EXPECT_EQ(rec.qual, "IIIIIIIII");
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.seq, "ttttgggg");
  EXPECT_FALSE(r.next(rec));
}

TEST_F(SequenceReaderTest, GzipAndBgzip) {
  std::string text = ">a\nACGT\nAC\n>b\nTT\n";
  for (const std::string& p : {write_gzip("x.fa.gz", text), write_bgzip("y.fa.gz", text)}) {
    auto recs = read_all(p);
    ASSERT_EQ(recs.size(), 2u);
    EXPECT_EQ(recs[0].seq, "ACGTAC");
  }
}

TEST_F(SequenceReaderTest, EmptyFileHasNoRecords) { EXPECT_TRUE(read_all(write("e.fa", "")).empty()); }

TEST_F(SequenceReaderTest, MalformedInputNamesFileAndLine) {
  std::string e = error_of("ACGT\n>a\nACGT\n");
  EXPECT_NE(e.find("bad.fa:1: expected a FASTA header"), std::string::npos) << e;

  e = error_of(">a\n>b\nACGT\n");
  EXPECT_NE(e.find("bad.fa:1: record 'a' has no sequence"), std::string::npos) << e;

  e = error_of(">a\nAC\n>b\n");
  EXPECT_NE(e.find("bad.fa:3: record 'b' has no sequence"), std::string::npos) << e;

  e = error_of(">a\nACGT\nAC1T\n");
  EXPECT_NE(e.find("bad.fa:3: record 'a' has '1' at column 3"), std::string::npos) << e;

  e = error_of("@r\nACGT\n+\nIII\n");
  EXPECT_NE(e.find("bad.fa:4: FASTQ record 'r' has 4 bases but 3 quality values"), std::string::npos) << e;

  e = error_of("@r\nACGT\nIIII\n");
  EXPECT_NE(e.find("'+' separator"), std::string::npos) << e;

  e = error_of("@r\nACGT\n+\n");
  EXPECT_NE(e.find("truncated"), std::string::npos) << e;

  e = error_of(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  EXPECT_NE(e.find("binary data"), std::string::npos) << e;

  e = error_of("> \nACGT\n");
  EXPECT_NE(e.find("no sequence name"), std::string::npos) << e;
}

}  // namespace seqdl::io
