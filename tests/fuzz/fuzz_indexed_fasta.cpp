// A genome FASTA through our faidx wrapper (io/indexed_fasta): the index is built from the input, then every
// contig is resolved and fetched, whole and padded past both ends.
#include <unistd.h>

#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "io/indexed_fasta.hpp"
#include "io/region.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = seqdl::fuzz::write_input("genome.fa", data, size);
  unlink((path + ".fai").c_str());  // build the index from this input, not the last one's
  try {
    seqdl::io::IndexedFasta genome(path);
    for (const auto& contig : genome.contigs()) {
      if (contig.length < 0) __builtin_trap();
      std::string whole = genome.fetch(contig.name, 0, contig.length);
      if (static_cast<int64_t>(whole.size()) != contig.length) __builtin_trap();
      std::string padded = genome.fetch_padded(contig.name, -3, contig.length + 3);
      if (static_cast<int64_t>(padded.size()) != contig.length + 6) __builtin_trap();
      (void)genome.resolve(seqdl::io::Region{contig.name, 0, -1, ""}, "fuzz");
    }
  } catch (const seqdl::Error&) {
  }
  return 0;
}
