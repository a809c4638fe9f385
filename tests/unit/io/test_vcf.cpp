#include <gtest/gtest.h>

#include <sstream>

#include "common/test_support.hpp"
#include "io/vcf.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class VcfTest : public test::TempDir {};

const char* kHeader =
    "##fileformat=VCFv4.2\n##contig=<ID=c1,length=20>\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

std::vector<VariantAllele> read_all(const std::string& path) {
  VcfReader r(path);
  std::vector<VariantAllele> out;
  VariantAllele a;
  while (r.next(a)) out.push_back(a);
  return out;
}

}  // namespace

TEST_F(VcfTest, SplitsMultiAllelicRecordsAndFlagsSymbolicAlleles) {
  std::string vcf = write("v.vcf", std::string(kHeader) +
                                       "c1\t3\trs1\tG\tA,T\t.\t.\t.\n"
                                       "c1\t5\t.\tACG\tA\t.\t.\t.\n"
                                       "c1\t9\t.\tT\t<DEL>\t.\t.\t.\n");
  auto alleles = read_all(vcf);
  ASSERT_EQ(alleles.size(), 4u);
  EXPECT_EQ(alleles[0].pos, 2);
  EXPECT_EQ(alleles[0].id, "rs1");
  EXPECT_EQ(alleles[0].alt, "A");
  EXPECT_EQ(alleles[1].alt, "T");
  EXPECT_EQ(alleles[1].allele, 2);
  EXPECT_EQ(alleles[1].n_alt, 2);
  EXPECT_EQ(alleles[1].record, 1u);
  EXPECT_TRUE(alleles[0].is_snv());
  EXPECT_EQ(alleles[2].ref, "ACG");
  EXPECT_FALSE(alleles[2].is_snv());
  EXPECT_TRUE(alleles[3].symbolic());
  EXPECT_EQ(alleles[3].record, 3u);
}

TEST_F(VcfTest, RefCheckReportsMismatches) {
  IndexedFasta g(write("g.fa", ">c1\nACGTACGTACGTACGTACGT\n"));
  std::string vcf = write("v.vcf", std::string(kHeader) +
                                       "c1\t3\t.\tG\tA\t.\t.\t.\n"
                                       "c1\t4\t.\tA\tC\t.\t.\t.\n"
                                       "c1\t19\t.\tgta\tG\t.\t.\t.\n"
                                       "c2\t1\t.\tA\tC\t.\t.\t.\n");
  auto a = read_all(vcf);
  std::string genome_ref;
  EXPECT_EQ(check_ref(a[0], g), RefCheck::match);
  EXPECT_EQ(check_ref(a[1], g, &genome_ref), RefCheck::mismatch);
  EXPECT_EQ(genome_ref, "T");
  EXPECT_EQ(check_ref(a[2], g), RefCheck::past_end);
  EXPECT_EQ(check_ref(a[3], g), RefCheck::unknown_contig);
}

TEST_F(VcfTest, MalformedRecordIsAFormatError) {
  std::string vcf = write("bad.vcf", std::string(kHeader) + "c1\tnotanumber\t.\tG\tA\t.\t.\t.\n");
  EXPECT_THROW(read_all(vcf), FormatError);
  EXPECT_THROW(read_all(write("notvcf.vcf", "hello\n")), FormatError);
}

TEST_F(VcfTest, GiabTruthMatchesBcftoolsAndTheGenome) {
  SEQDL_SHARED_OR_SKIP(vcf, "freebayes_tiny_na12878/NA12878.chr22.tiny.giab.vcf.gz");
  SEQDL_SHARED_OR_SKIP(fa, "freebayes_tiny_na12878/q.fa");
  SEQDL_TOOL_OR_SKIP("bcftools");
  auto alleles = read_all(vcf);
  // bcftools query prints each record's ALT list; split it as we split records.
  std::istringstream in(test::run_command("bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT\\n' '" + vcf +
                                          "' 2>/dev/null"));
  std::string chrom, ref, alts;
  int64_t pos;
  size_t i = 0;
  while (in >> chrom >> pos >> ref >> alts) {
    std::istringstream alt_list(alts);
    std::string alt;
    while (std::getline(alt_list, alt, ',')) {
      ASSERT_LT(i, alleles.size());
      EXPECT_EQ(alleles[i].chrom, chrom);
      EXPECT_EQ(alleles[i].pos + 1, pos);
      EXPECT_EQ(alleles[i].ref, ref);
      EXPECT_EQ(alleles[i].alt, alt);
      ++i;
    }
  }
  EXPECT_EQ(i, alleles.size());
  IndexedFasta g(fa);
  for (const auto& a : alleles) EXPECT_EQ(check_ref(a, g), RefCheck::match) << a.to_string();
}

}  // namespace seqdl::io
