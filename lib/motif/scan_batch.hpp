// The parts of `seqdl motifs scan` between reading sequences and writing rows (internal to lib/motif):
// stretches of sequence are queued, scanned on several threads, and their rows written in queue order, so
// that the output is the same for every thread count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "motif/scan.hpp"
#include "motif/scanner.hpp"
#include "util/atomic_file.hpp"

namespace seqdl::motif {

// The output rows (see scan.hpp for the columns), formatted into a buffer and written in large blocks.
class RowWriter {
 public:
  RowWriter(const std::string& path, ScanFormat format, bool per_sequence_max);
  void hit(const Pwm& pwm, const Hit& h, std::string_view sequence, std::string_view bases);
  void best(const Pwm& pwm, const BestWindow& b, std::string_view id);
  uint64_t rows() const { return rows_; }
  void commit();

 private:
  void flush_if_full();

  AtomicFile out_;
  ScanFormat format_;
  std::string buf_;
  uint64_t rows_ = 0;
};

class BatchScan {
 public:
  BatchScan(const Scanner& scanner, RowWriter& writer, bool per_sequence_max, int threads);

  // Queues a stretch of a sequence (see Chunk): `name` goes into hit rows, `id` into per-sequence-max rows,
  // `last` closes the sequence. Scans the queue once it holds enough work for every thread.
  void add(std::string name, std::string id, std::string text, size_t limit, int64_t offset, bool last);
  void finish();  // scans and writes whatever is queued

  // Per-sequence max: sequence-motif pairs without any window to score.
  uint64_t unscored() const { return unscored_; }

 private:
  struct Task {
    std::string name, id, text;
    size_t limit = 0;
    int64_t offset = 0;
    bool last = true;
    std::vector<Hit> hits;
    std::vector<BestWindow> best;
  };
  void scan_tasks(size_t first, size_t step);
  void run();

  const Scanner& scanner_;
  RowWriter& writer_;
  bool max_;
  int threads_;
  std::vector<Task> tasks_;
  size_t queued_bases_ = 0;
  std::vector<BestWindow> open_;  // per-sequence max of the sequence whose last stretch is still to come
  bool is_open_ = false;
  uint64_t unscored_ = 0;
};

}  // namespace seqdl::motif
