// A bigWig file written through libBigWig without reaching its unchecked write paths.
//
// libBigWig (0.4.7) ignores the result of flushing its 32 KB block buffer inside bwAddIntervals' and
// bwAppendIntervals' loops: when a write fails there (disk full, quota, file size limit), it goes on copying
// intervals past the end of the buffer and corrupts the heap (seqdl ended with SIGSEGV or "malloc(): invalid
// size"). This writer hands it batches that fit in the buffer, so that every flush is one whose result libBigWig
// checks, stops at the first failed write, finalizes with the result checked, and checks that the file ends
// with the bigWig magic before the caller commits it.
//
// Threads: one writer is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/indexed_fasta.hpp"

namespace seqdl::io {

class BigWigWriter {
 public:
  // Creates `path` (usually an AtomicFile's temporary; `target` names the output in messages) with `contigs` as
  // the chromosome list. InputError when it cannot be created or a contig is longer than bigWig allows (2^32 - 1).
  BigWigWriter(const std::string& path, std::string target, const std::vector<Contig>& contigs);
  ~BigWigWriter();  // releases libBigWig's state without finalizing when close() was not reached
  BigWigWriter(const BigWigWriter&) = delete;
  BigWigWriter& operator=(const BigWigWriter&) = delete;

  // Adds one interval [start, end) of contig `contig` (an index into the contigs given). Intervals of a contig
  // come in increasing order, contigs in the order given. Buffered; InputError naming the target and the
  // system's reason when a write fails (the writer is unusable afterwards).
  void add(size_t contig, uint32_t start, uint32_t end, float value);
  // The same for n intervals of one contig.
  void add(size_t contig, const uint32_t* starts, const uint32_t* ends, const float* values, size_t n);

  // Writes what is buffered, the index and the zoom levels, and closes the file. InputError when any write
  // failed or the file does not end as a bigWig does; the caller then discards the file.
  void close();

 private:
  struct State;  // libBigWig's handle (bigwig_writer.cpp)
  void submit();
  [[noreturn]] void fail(int err);

  std::unique_ptr<State> s_;
  std::string path_, target_;
  std::vector<std::string> names_;
  size_t contig_ = 0;
  std::vector<uint32_t> starts_, ends_;
  std::vector<float> values_;
};

}  // namespace seqdl::io
