// VCF through our wrapper (io/vcf over htslib): every allele of every record, checked against a small genome.
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_input.hpp"
#include "io/indexed_fasta.hpp"
#include "io/vcf.hpp"
#include "util/error.hpp"

namespace {

const seqdl::io::IndexedFasta& genome() {
  static std::unique_ptr<seqdl::io::IndexedFasta> g = [] {
    std::string fa = ">chr1\nACGTACGTACGTNNNNacgtacgtACGTACGTAC\nGTACG\n>chr2\nTTTTGGGGCCCCAAAA\n";
    std::string path = seqdl::fuzz::write_input("genome.fa", reinterpret_cast<const uint8_t*>(fa.data()), fa.size());
    return std::make_unique<seqdl::io::IndexedFasta>(path);
  }();
  return *g;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& g = genome();
  std::string path = seqdl::fuzz::write_input("variants.vcf", data, size);
  try {
    seqdl::io::VcfReader reader(path);
    seqdl::io::VariantAllele allele;
    while (reader.next(allele)) {
      (void)allele.to_string();
      (void)allele.is_snv();
      std::string ref;
      (void)seqdl::io::check_ref(allele, g, &ref);
    }
    (void)reader.header_contigs();
  } catch (const seqdl::Error&) {
  }
  return 0;
}
