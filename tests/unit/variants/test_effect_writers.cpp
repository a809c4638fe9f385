#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/test_support.hpp"
#include "util/error.hpp"
#include "variants/effect_writers.hpp"

namespace seqdl::variants {
namespace {

class EffectWriterTest : public test::TempDir {
 protected:
  static std::string read(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
};

const char* kVcf =
    "##fileformat=VCFv4.2\n##contig=<ID=c,length=100>\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    "c\t10\trs1\tA\tC,G\t.\tPASS\tDP=3\n"
    "c\t20\t.\tT\t<DEL>\t.\t.\t.\n"
    "c\t30\t.\tGA\tG\t.\t.\t.\n";

// The alleles of kVcf: record 1 has two scored ALTs, record 2 a skipped symbolic one, record 3 a deletion.
std::vector<AlleleResult> results() {
  auto make = [](uint64_t record, int allele, int n_alt, int64_t pos, std::string ref, std::string alt) {
    AlleleResult r;
    r.allele.chrom = "c";
    r.allele.pos = pos;
    r.allele.ref = std::move(ref);
    r.allele.alt = std::move(alt);
    r.allele.record = record;
    r.allele.allele = allele;
    r.allele.n_alt = n_alt;
    return r;
  };
  std::vector<AlleleResult> out;
  out.push_back(make(1, 1, 2, 9, "A", "C"));
  out.back().allele.id = "rs1";
  out.back().values = {0.25f, 0.5f, 0.25f, 1.0f};
  out.push_back(make(1, 2, 2, 9, "A", "G"));
  out.back().allele.id = "rs1";
  out.back().values = {0.25f, 0.125f, -0.125f, -1.0f};
  out.back().padded = true;
  out.push_back(make(2, 1, 1, 19, "T", "<DEL>"));
  out.back().skip = Skip::symbolic;
  out.push_back(make(3, 1, 1, 29, "GA", "G"));
  out.back().values = {0.5f, 0.5f, 0.0f, 0.0f};
  for (auto& r : out) {
    if (r.allele.id.empty()) r.allele.id = ".";
  }
  return out;
}

}  // namespace

TEST(EffectFormat, FromTheNameOrTheOption) {
  EXPECT_EQ(effect_format("x.tsv", std::nullopt), EffectFormat::tsv);
  EXPECT_EQ(effect_format("-", std::nullopt), EffectFormat::tsv);
  EXPECT_EQ(effect_format("x.vcf", std::nullopt), EffectFormat::vcf);
  EXPECT_EQ(effect_format("x.VCF.GZ", std::nullopt), EffectFormat::vcf);
  EXPECT_EQ(effect_format("-", EffectFormat::vcf), EffectFormat::vcf);
  EXPECT_EQ(effect_format("x.vcf", EffectFormat::tsv), EffectFormat::tsv);
  EXPECT_THROW(parse_choice(kEffectFormatChoices, "bed", "--format"), UsageError);
}

TEST(EffectLayout, KindsAndInfoKeys) {
  ScoreLayout p = score_layout({"y"}, false, false, 50);
  ASSERT_EQ(p.kinds.size(), 4u);
  EXPECT_EQ(p.kinds[3].name, "log2");
  EXPECT_EQ(score_layout({"y"}, false, true, 50).kinds.size(), 3u);  // no log2 ratio of logits
  ScoreLayout s = score_layout({"acceptor"}, true, false, 50);
  EXPECT_EQ(s.kinds[1].name, "gain_pos");
  EXPECT_TRUE(s.kinds[1].integer);
  // Task names become valid INFO keys; names that clean to the same key stay distinct.
  ScoreLayout odd = score_layout({"a-b", "a b", "1x"}, false, true, 0);
  auto keys = info_keys(odd, "SEQDL_");
  ASSERT_EQ(keys.size(), 10u);
  EXPECT_EQ(keys[0], "SEQDL_a_b_ref");
  EXPECT_EQ(keys[3], "SEQDL_a_b_2_ref");
  EXPECT_EQ(keys[6], "SEQDL_1x_ref");
  EXPECT_EQ(keys[9], "SEQDL_STATUS");
  EXPECT_EQ(info_keys(odd, "")[6], "_1x_ref");
}

TEST_F(EffectWriterTest, TsvHasOneRowPerAlleleWithStatus) {
  std::string vcf = write("v.vcf", kVcf);
  WriterOptions o;
  o.vcf = vcf;
  o.output = path("e.tsv");
  auto w = open_effect_writer(o, score_layout({"y"}, false, false, 50));
  for (const auto& r : results()) w->add(r);
  w->finish();
  EXPECT_EQ(read(o.output),
            "chrom\tpos\tid\tref\talt\ty_ref\ty_alt\ty_diff\ty_log2\tstatus\n"
            "c\t10\trs1\tA\tC\t0.25\t0.5\t0.25\t1\tok\n"
            "c\t10\trs1\tA\tG\t0.25\t0.125\t-0.125\t-1\tpadded\n"
            "c\t20\t.\tT\t<DEL>\tNA\tNA\tNA\tNA\tskipped_symbolic\n"
            "c\t30\t.\tGA\tG\t0.5\t0.5\t0\t0\tok\n");
}

TEST_F(EffectWriterTest, VcfKeepsEveryRecordWithItsAllelesTogether) {
  std::string vcf = write("v.vcf", kVcf);
  for (std::string name : {"e.vcf", "e.vcf.gz"}) {
    WriterOptions o;
    o.vcf = vcf;
    o.output = path(name);
    o.format = effect_format(o.output, std::nullopt);
    o.description = "model m.seqdl";
    auto w = open_effect_writer(o, score_layout({"y"}, false, false, 50));
    for (const auto& r : results()) w->add(r);
    auto files = w->finish();
    ASSERT_TRUE(fs::exists(o.output));
    if (name == "e.vcf") {
      ASSERT_EQ(files.size(), 1u);
      std::string text = read(o.output);
      EXPECT_NE(text.find("##INFO=<ID=SEQDL_y_diff,Number=A,Type=Float,Description=\"seqdl variants: y: ALT - REF "
                          "probability (model m.seqdl)\">"),
                std::string::npos)
          << text;
      EXPECT_NE(text.find("c\t10\trs1\tA\tC,G\t.\tPASS\tDP=3;SEQDL_y_ref=0.25,0.25;SEQDL_y_alt=0.5,0.125;"
                          "SEQDL_y_diff=0.25,-0.125;SEQDL_y_log2=1,-1;SEQDL_STATUS=ok,padded\n"),
                std::string::npos)
          << text;
      EXPECT_NE(text.find("c\t20\t.\tT\t<DEL>\t.\t.\tSEQDL_STATUS=skipped_symbolic\n"), std::string::npos) << text;
      EXPECT_NE(text.find("c\t30\t.\tGA\tG\t.\t.\tSEQDL_y_ref=0.5;"), std::string::npos) << text;
    } else {
      ASSERT_EQ(files.size(), 2u);
      EXPECT_TRUE(fs::exists(o.output + ".tbi"));
      SEQDL_TOOL_OR_SKIP("bcftools");
      std::string q = test::run_command("bcftools query -r c:10-30 -f '%POS\\t%INFO/SEQDL_y_alt\\t%INFO/SEQDL_STATUS\\n' '" +
                                        o.output + "' 2>/dev/null");
      EXPECT_EQ(q, "10\t0.5,0.125\tok,padded\n20\t.\tskipped_symbolic\n30\t0.5\tok\n");
    }
  }
}

TEST_F(EffectWriterTest, ExistingInfoFieldsAreNotOverwritten) {
  std::string vcf = write("v.vcf", std::string("##fileformat=VCFv4.2\n##INFO=<ID=SEQDL_y_ref,Number=A,Type=Float,"
                                               "Description=\"old\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"));
  WriterOptions o;
  o.vcf = vcf;
  o.output = path("e.vcf");
  o.format = EffectFormat::vcf;
  EXPECT_THROW(open_effect_writer(o, score_layout({"y"}, false, false, 50)), UsageError);
  EXPECT_FALSE(fs::exists(o.output));
}

TEST_F(EffectWriterTest, UnfinishedOutputLeavesNothing) {
  std::string vcf = write("v.vcf", kVcf);
  WriterOptions o;
  o.vcf = vcf;
  o.output = path("e.vcf.gz");
  o.format = EffectFormat::vcf;
  {
    auto w = open_effect_writer(o, score_layout({"y"}, false, false, 50));
    w->add(results()[0]);
  }
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find("e.vcf"), std::string::npos) << entry.path();
  }
}

}  // namespace seqdl::variants
