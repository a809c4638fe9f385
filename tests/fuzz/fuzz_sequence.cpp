// FASTA/FASTQ streams (io/sequence_reader over io/line_reader), each record encoded as the commands encode it
// (encode/one_hot). Plain, gzip and bgzip all come through htslib's BGZF.
#include <cstdint>
#include <string>
#include <vector>

#include "encode/one_hot.hpp"
#include "fuzz_input.hpp"
#include "io/sequence_reader.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = seqdl::fuzz::write_input("reads.fa", data, size);
  static const seqdl::encode::OneHotTable table;
  std::vector<float> buffer;
  try {
    seqdl::io::SequenceReader reader(path);
    seqdl::io::SequenceRecord record;
    while (reader.next(record)) {
      if (record.seq.empty()) __builtin_trap();  // documented: an empty record is an error
      if (reader.is_fastq() && record.qual.size() != record.seq.size()) __builtin_trap();
      buffer.resize(4 * record.seq.size());
      seqdl::encode::one_hot(record.seq, buffer.data(), record.seq.size(), table);
    }
  } catch (const seqdl::Error&) {
  }
  return 0;
}
