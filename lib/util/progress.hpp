// Progress of long work: a bar with rate and ETA on a terminal; nothing in a pipeline; one line every
// few seconds in verbose mode off a terminal (so cluster logs show that a job is alive).
//
// Threads: add() and set_total() may be called from any number of threads at once (atomics; drawing is
// serialised); construction, finish() and destruction belong to one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace seqdl {

enum class ProgressDisplay {
  automatic,  // bar if stderr is a terminal and logging is at info or finer; lines if verbose; else none
  bar,
  lines,
  none,
};

struct ProgressOptions {
  ProgressDisplay display = ProgressDisplay::automatic;
  double bar_interval = 0.1;    // seconds between bar redraws
  double line_interval = 10.0;  // seconds between progress lines
};

class Progress {
 public:
  // total = 0 when unknown (no percentage or ETA then). `label` and `unit` name the work in the display:
  // "train 45% ... seqs".
  Progress(std::string label, uint64_t total, std::string unit, ProgressOptions options = {});
  ~Progress();  // finish()
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(uint64_t n = 1);  // thread-safe and cheap; redraws at most every interval
  void set_total(uint64_t total);
  void finish();  // erases the bar (or prints a last line in lines mode); idempotent
  uint64_t done() const { return done_.load(std::memory_order_relaxed); }
  ProgressDisplay display() const { return display_; }

  // The text of one progress report, e.g. "train 45% [#####     ] 1,234/5,000 seqs 2.3k seqs/s ETA 0:12".
  static std::string render(const std::string& label, uint64_t done, uint64_t total, const std::string& unit,
                            double seconds, bool with_bar);

 private:
  void report(bool force);
  double seconds() const;

  std::string label_, unit_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_;
  ProgressDisplay display_;
  double interval_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<double> last_report_{0.0};
  std::mutex draw_mutex_;
  bool finished_ = false;
};

// Resolves `automatic` for the current stderr and log level.
ProgressDisplay resolve_display(ProgressDisplay requested);

}  // namespace seqdl
