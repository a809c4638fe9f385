// Benchmark drivers that time libseqdl workloads in-process, the way the Python references time theirs
// (excluding interpreter or process start-up). scripts/bench.sh runs them beside the references.
//
//   seqdl_bench encode FASTA [--threads N]   FASTA parse + one-hot float32 [4, L] per record, in memory
//   seqdl_bench vcf VCF                     every allele through io::VcfReader (the reading path of variants)
//   seqdl_bench labels TABLE SEQ LABEL      io::read_label_table (what train and evaluate hold in memory)

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "encode/one_hot.hpp"
#include "io/label_table.hpp"
#include "io/sequence_reader.hpp"
#include "io/vcf.hpp"
#include "util/bounded_queue.hpp"
#include "util/error.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The pipeline seqdl's commands use: one thread parses FASTA into base codes while the other expands them
// into one-hot floats in a buffer that is reused (grown to the longest record), as batches are.
int bench_encode(const std::string& path, int threads) {
  auto start = Clock::now();
  seqdl::encode::OneHotTable table;
  std::vector<float> buffer;
  uint64_t total = 0;
  double checksum = 0;
  auto expand = [&](const seqdl::io::SequenceRecord& rec) {
    size_t n = rec.seq.size();
    if (buffer.size() < 4 * n) buffer.resize(4 * n);
    seqdl::encode::one_hot(rec.seq, buffer.data(), n, table);
    checksum += buffer[0] + buffer[4 * n - 1];  // keep the work observable
    total += n;
  };
  seqdl::io::SequenceReader reader(path);
  seqdl::io::SequenceRecord rec;
  if (threads == 1) {
    while (reader.next(rec)) expand(rec);
  } else {
    seqdl::BoundedQueue<seqdl::io::SequenceRecord> queue(2);
    std::thread parser([&] {
      try {
        seqdl::io::SequenceRecord r;
        while (reader.next(r)) {
          if (!queue.push(std::move(r))) return;
        }
        queue.close();
      } catch (...) {
        queue.close(std::current_exception());
      }
    });
    try {
      while (auto item = queue.pop()) expand(*item);
    } catch (...) {
      parser.join();
      throw;
    }
    parser.join();
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("encoded %llu bases in %.3f s: %.1f Mbases/s (checksum %.0f)\n", static_cast<unsigned long long>(total),
              secs, static_cast<double>(total) / secs / 1e6, checksum);
  return 0;
}

int bench_vcf(const std::string& path) {
  auto start = Clock::now();
  seqdl::io::VcfReader reader(path);
  seqdl::io::VariantAllele allele;
  uint64_t alleles = 0, bases = 0;
  while (reader.next(allele)) {
    ++alleles;
    bases += allele.ref.size() + allele.alt.size();
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("read %llu records, %llu alleles (%llu REF+ALT bases) in %.3f s\n",
              static_cast<unsigned long long>(reader.records_read()), static_cast<unsigned long long>(alleles),
              static_cast<unsigned long long>(bases), secs);
  return 0;
}

int bench_labels(const std::string& path, const std::string& sequence_column, const std::string& label_column) {
  auto start = Clock::now();
  seqdl::io::LabelTableSpec spec;
  spec.path = path;
  spec.sequence_column = sequence_column;
  spec.label_columns = {label_column};
  seqdl::io::LabelTable table = seqdl::io::read_label_table(spec);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("read %zu rows in %.3f s\n", table.sequences.size(), secs);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 3) {
      std::fprintf(stderr, "usage: seqdl_bench encode FASTA [--threads N] | vcf VCF | labels TABLE SEQ LABEL\n");
      return 2;
    }
    int threads = 1;
    for (int i = 3; i + 1 < argc; ++i) {
      if (std::strcmp(argv[i], "--threads") == 0) threads = std::max(1, std::atoi(argv[i + 1]));
    }
    std::string what = argv[1];
    if (what == "encode") return bench_encode(argv[2], threads);
    if (what == "vcf") return bench_vcf(argv[2]);
    if (what == "labels" && argc >= 5) return bench_labels(argv[2], argv[3], argv[4]);
    std::fprintf(stderr, "seqdl_bench: unknown workload '%s'\n", what.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seqdl_bench: error: %s\n", seqdl::one_line_message(e).c_str());
    return seqdl::exit_status(e);
  }
}
