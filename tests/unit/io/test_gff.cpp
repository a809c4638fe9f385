#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/gff.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class GffTest : public test::TempDir {
 protected:
  std::vector<GffRecord> read_all(const std::string& path, std::optional<GffFormat> format = std::nullopt,
                                  GffFormat* seen = nullptr) {
    GffReader reader(path, format);
    std::vector<GffRecord> out;
    GffRecord r;
    while (reader.next(r)) out.push_back(r);
    if (seen != nullptr) *seen = reader.format();
    return out;
  }
  std::string error_of(const std::string& content, const std::string& name = "bad.gff3") {
    try {
      read_all(write(name, content));
    } catch (const FormatError& e) {
      return e.what();
    }
    return "";
  }
};

const char* kLine = "chr1\tsrc\texon\t";

}  // namespace

TEST_F(GffTest, Gff3RecordsAreZeroBasedHalfOpenWithDecodedAttributes) {
  GffFormat format = GffFormat::gtf;
  auto recs = read_all(test::fixture("splice/genes.gff3"), std::nullopt, &format);
  EXPECT_EQ(format, GffFormat::gff3);
  ASSERT_EQ(recs.size(), 22u);
  const GffRecord& gene = recs[0];
  EXPECT_EQ(gene.seqid, "chrS");
  EXPECT_EQ(gene.source, "test");
  EXPECT_EQ(gene.type, "gene");
  EXPECT_EQ(gene.start, 10);  // 1-based 11
  EXPECT_EQ(gene.end, 90);    // 1-based inclusive 90
  EXPECT_EQ(gene.strand, '+');
  EXPECT_EQ(gene.phase, -1);
  EXPECT_FALSE(gene.score.has_value());
  EXPECT_EQ(gene.line, 4u);
  ASSERT_NE(gene.attribute("Name"), nullptr);
  EXPECT_EQ(*gene.attribute("Name"), "first; gene");  // %3B%20
  EXPECT_EQ(gene.attribute("Parent"), nullptr);
  EXPECT_EQ(recs[3].values("Parent"), (std::vector<std::string>{"T1", "T2"}));
  EXPECT_EQ(recs[5].type, "CDS");
  EXPECT_EQ(recs[5].phase, 0);
}

TEST_F(GffTest, GtfAttributesQuotedUnquotedRepeated) {
  GffFormat format = GffFormat::gff3;
  auto recs = read_all(test::fixture("splice/genes.gtf"), std::nullopt, &format);
  EXPECT_EQ(format, GffFormat::gtf);
  ASSERT_EQ(recs.size(), 16u);
  EXPECT_EQ(*recs[3].attribute("exon_number"), "3");  // unquoted
  EXPECT_EQ(*recs[1].attribute("transcript_id"), "T1");
  std::string p = write("x.txt", std::string(kLine) +
                                     "1\t10\t.\t+\t.\tgene_id \"a;b\"; tag \"basic\"; tag \"CCDS\" ; level 2\n");
  auto r = read_all(p);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(*r[0].attribute("gene_id"), "a;b");  // ';' inside quotes
  EXPECT_EQ(r[0].values("tag"), (std::vector<std::string>{"basic", "CCDS"}));
  EXPECT_EQ(*r[0].attribute("level"), "2");
}

TEST_F(GffTest, FormatFromContentThenName) {
  GffFormat f;
  // No directive, no extension: the first attributes decide.
  read_all(write("a.txt", std::string(kLine) + "1\t10\t.\t+\t.\tgene_id \"g\"; transcript_id \"t\";\n"), {}, &f);
  EXPECT_EQ(f, GffFormat::gtf);
  read_all(write("b.gtf", std::string(kLine) + "1\t10\t.\t+\t.\tID=e1;Parent=t\n"), {}, &f);
  EXPECT_EQ(f, GffFormat::gff3);  // content beats the name
  read_all(write("c.gtf", "##gff-version 3\n" + std::string(kLine) + "1\t10\t.\t+\t.\t.\n"), {}, &f);
  EXPECT_EQ(f, GffFormat::gff3);  // the directive beats the name
  read_all(write("d.gtf.gz.txt", std::string(kLine) + "1\t10\t.\t+\t.\t\n"), {}, &f);
  EXPECT_EQ(f, GffFormat::gff3);  // nothing tells: GFF3 unless named .gtf
  read_all(write("e.GTF", std::string(kLine) + "1\t10\t.\t+\t.\t\n"), {}, &f);
  EXPECT_EQ(f, GffFormat::gtf);
  // Forced: "ID=x" read as GTF is a key "ID=x" without value... here a clean GTF line forced as GTF.
  read_all(write("f.gff3", std::string(kLine) + "1\t10\t.\t+\t.\tgene_id g;\n"), GffFormat::gtf, &f);
  EXPECT_EQ(f, GffFormat::gtf);
}

TEST_F(GffTest, FastaSectionCommentsCrlfAndGzip) {
  std::string text = "##gff-version 3\r\n# a comment\r\n\r\n" + std::string(kLine) +
                     "5\t9\t3.5\t-\t.\tID=e1;Note=50% of 1\r\n###\r\n##FASTA\r\n>chr1\r\nACGT\r\n";
  for (const std::string& p : {write("x.gff3", text), write_gzip("x.gff3.gz", text), write_bgzip("y.gff3.gz", text)}) {
    auto recs = read_all(p);
    ASSERT_EQ(recs.size(), 1u) << p;
    EXPECT_EQ(recs[0].start, 4);
    EXPECT_EQ(recs[0].end, 9);
    EXPECT_EQ(recs[0].score, 3.5);
    EXPECT_EQ(recs[0].strand, '-');
    EXPECT_EQ(*recs[0].attribute("Note"), "50% of 1");  // a '%' without hex digits stays
    EXPECT_EQ(recs[0].line, 4u);
  }
  // A '>' line without ##FASTA also ends the features.
  EXPECT_EQ(read_all(write("z.gff3", std::string(kLine) + "1\t2\t.\t+\t.\tID=a\n>chr1\nACGT\n")).size(), 1u);
}

TEST_F(GffTest, PercentDecoding) {
  EXPECT_EQ(percent_decode("a%3Db%2Cc%25"), "a=b,c%");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  // Escaped commas stay inside one value; bare commas separate values.
  std::string p = write("x.gff3", std::string(kLine) + "1\t10\t.\t+\t.\tParent=a%2Cb,c;Alias=\n");
  auto recs = read_all(p);
  EXPECT_EQ(recs[0].values("Parent"), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(recs[0].values("Alias"), (std::vector<std::string>{""}));
}

TEST_F(GffTest, MalformedLinesNameFileAndLine) {
  std::string ok = std::string(kLine) + "1\t10\t.\t+\t.\tID=a\n";
  EXPECT_NE(error_of(ok + "chr1\tsrc\texon\t1\t10\t.\t+\t.\n").find("bad.gff3:2: expected 9 tab-separated columns"),
            std::string::npos);
  EXPECT_NE(error_of(ok + std::string(kLine) + "one\t10\t.\t+\t.\tID=b\n").find("bad.gff3:2: start: expected an integer"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kLine) + "20\t10\t.\t+\t.\tID=b\n").find("bad.gff3:1: start 20 is after end 10"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kLine) + "0\t10\t.\t+\t.\tID=b\n").find("bad.gff3:1: start 0 is below 1"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kLine) + "1\t10\t.\tplus\t.\tID=b\n").find("bad.gff3:1: strand 'plus' is not one of"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kLine) + "1\t10\t.\t+\t3\tID=b\n").find("bad.gff3:1: phase '3'"), std::string::npos);
  EXPECT_NE(error_of(std::string(kLine) + "1\t10\thigh\t+\t.\tID=b\n").find("bad.gff3:1: score: expected a number"),
            std::string::npos);
  EXPECT_NE(error_of("##gff-version 3\n" + std::string(kLine) + "1\t10\t.\t+\t.\tID=b;orphan\n")
                .find("bad.gff3:2: GFF3 attribute 'orphan' has no '='"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kLine) + "1\t10\t.\t+\t.\tgene_id \"g;\n", "bad.gtf")
                .find("bad.gtf:1: GTF attribute 'gene_id' has an unterminated quoted value"),
            std::string::npos);
  // The message names the attribute (it named '' while the attribute had been moved away).
  EXPECT_NE(error_of(std::string(kLine) + "1\t10\t.\t+\t.\tgene_id \"g\" \"h\";\n", "bad.gtf")
                .find("GTF attribute 'gene_id' is followed by '\"h\";' (expected ';')"),
            std::string::npos);
}

TEST_F(GffTest, MissingFileIsAnInputError) {
  EXPECT_THROW(GffReader(path("absent.gff3")), InputError);
}

}  // namespace seqdl::io
