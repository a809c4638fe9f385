#include "motif/scan_batch.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <thread>

namespace seqdl::motif {
namespace {

// A batch holds at least this many bases per thread (or this many stretches), so that threads start
// rarely and the memory held stays bounded whatever the input's size.
constexpr size_t kBatchBasesPerThread = size_t{1} << 20;
constexpr size_t kBatchTasksPerThread = 4096;

}  // namespace

RowWriter::RowWriter(const std::string& path, ScanFormat format, bool per_sequence_max) : out_(path), format_(format) {
  if (per_sequence_max) {
    buf_ = "id\tscore\tp_value\tmotif_id\tmotif_name\tstart\tend\tstrand\tmatched_sequence\n";
  } else if (format_ == ScanFormat::tsv) {
    buf_ = "motif_id\tmotif_name\tsequence\tstart\tend\tstrand\tscore\tp_value\tmatched_sequence\n";
  }
}

void RowWriter::hit(const Pwm& pwm, const Hit& h, std::string_view sequence, std::string_view bases) {
  const Motif& m = pwm.motif();
  char strand = h.strand == 0 ? '+' : '-';
  int64_t end = h.start + static_cast<int64_t>(pwm.width());
  if (format_ == ScanFormat::bed) {
    fmt::format_to(std::back_inserter(buf_), "{}\t{}\t{}\t{}\t{:.3f}\t{}\n", sequence, h.start, end, m.id, h.score, strand);
  } else {
    fmt::format_to(std::back_inserter(buf_), "{}\t{}\t{}\t{}\t{}\t{}\t{:.4f}\t{:.4g}\t{}\n", m.id, m.name, sequence,
                   h.start + 1, end, strand, h.score, h.pvalue, bases);
  }
  ++rows_;
  flush_if_full();
}

void RowWriter::best(const Pwm& pwm, const BestWindow& b, std::string_view id) {
  const Motif& m = pwm.motif();
  if (!b.found) {
    double lowest = static_cast<double>(pwm.distribution(0).min_score()) / pwm.units_per_bit();
    fmt::format_to(std::back_inserter(buf_), "{}\t{:.4f}\t1\t{}\t{}\tNA\tNA\tNA\tNA\n", id, lowest, m.id, m.name);
  } else {
    fmt::format_to(std::back_inserter(buf_), "{}\t{:.4f}\t{:.4g}\t{}\t{}\t{}\t{}\t{}\t{}\n", id, b.score,
                   pwm.pvalue(b.strand, b.int_score), m.id, m.name, b.start + 1,
                   b.start + static_cast<int64_t>(pwm.width()), b.strand == 0 ? '+' : '-', b.bases);
  }
  ++rows_;
  flush_if_full();
}

void RowWriter::commit() {
  out_.write(buf_);
  out_.commit();
}

void RowWriter::flush_if_full() {
  if (buf_.size() < (size_t{1} << 20)) return;
  out_.write(buf_);
  buf_.clear();
}

BatchScan::BatchScan(const Scanner& scanner, RowWriter& writer, bool per_sequence_max, int threads)
    : scanner_(scanner), writer_(writer), max_(per_sequence_max), threads_(std::max(threads, 1)) {}

void BatchScan::add(std::string name, std::string id, std::string text, size_t limit, int64_t offset, bool last) {
  queued_bases_ += text.size();
  tasks_.push_back({std::move(name), std::move(id), std::move(text), limit, offset, last, {}, {}});
  auto threads = static_cast<size_t>(threads_);
  if (queued_bases_ >= threads * kBatchBasesPerThread || tasks_.size() >= threads * kBatchTasksPerThread) run();
}

void BatchScan::finish() {
  if (!tasks_.empty()) run();
}

void BatchScan::scan_tasks(size_t first, size_t step) {
  Chunk chunk;
  for (size_t i = first; i < tasks_.size(); i += step) {
    Task& t = tasks_[i];
    chunk.assign(t.text, t.limit, t.offset);
    if (max_) {
      t.best.assign(scanner_.pwms().size(), BestWindow{});
      scanner_.best(chunk, t.best);
    } else {
      scanner_.scan(chunk, t.hits);
      std::sort(t.hits.begin(), t.hits.end());
    }
  }
}

void BatchScan::run() {
  // Stretches are dealt round-robin to the threads (similar sizes, so similar work each).
  size_t n = std::min(static_cast<size_t>(threads_), tasks_.size());
  if (n <= 1) {
    scan_tasks(0, 1);
  } else {
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> errors(n);
    for (size_t t = 0; t < n; ++t) {
      workers.emplace_back([this, t, n, &errors] {
        try {
          scan_tasks(t, n);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
    for (auto& w : workers) w.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
  // Rows in queue order. A sequence's best window is the best of its stretches' (the first on ties).
  for (Task& t : tasks_) {
    if (!max_) {
      for (const Hit& h : t.hits) {
        const Pwm& pwm = scanner_.pwms()[h.motif];
        writer_.hit(pwm, h, t.name, window_bases(t.text, static_cast<size_t>(h.start - t.offset), pwm.width(), h.strand));
      }
      continue;
    }
    if (!is_open_) open_.assign(scanner_.pwms().size(), BestWindow{});
    is_open_ = true;
    for (size_t m = 0; m < open_.size(); ++m) {
      const BestWindow& b = t.best[m];
      if (b.found && (!open_[m].found || b.score > open_[m].score)) open_[m] = b;
    }
    if (!t.last) continue;
    for (size_t m = 0; m < open_.size(); ++m) {
      writer_.best(scanner_.pwms()[m], open_[m], t.id);
      unscored_ += open_[m].found ? 0 : 1;
    }
    is_open_ = false;
  }
  tasks_.clear();
  queued_bases_ = 0;
}

}  // namespace seqdl::motif
