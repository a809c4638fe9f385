#include "util/progress.hpp"

#include <unistd.h>

#include <algorithm>

#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl {

ProgressDisplay resolve_display(ProgressDisplay requested) {
  if (requested != ProgressDisplay::automatic) return requested;
  if (log::level() >= log::Level::warn) return ProgressDisplay::none;
  if (::isatty(STDERR_FILENO)) return ProgressDisplay::bar;
  return log::level() == log::Level::debug ? ProgressDisplay::lines : ProgressDisplay::none;
}

Progress::Progress(std::string label, uint64_t total, std::string unit, ProgressOptions options)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      display_(resolve_display(options.display)),
      interval_(display_ == ProgressDisplay::bar ? options.bar_interval : options.line_interval),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::add(uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (display_ == ProgressDisplay::none) return;
  if (seconds() - last_report_.load(std::memory_order_relaxed) >= interval_) report(false);
}

void Progress::set_total(uint64_t total) { total_.store(total, std::memory_order_relaxed); }

void Progress::report(bool force) {
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;
  double now = seconds();
  if (!force && now - last_report_.load() < interval_) return;
  last_report_.store(now);
  std::string text = render(label_, done(), total_.load(), unit_, now, display_ == ProgressDisplay::bar);
  if (display_ == ProgressDisplay::bar) {
    log::set_status(text);
  } else if (display_ == ProgressDisplay::lines) {
    log::write(log::Level::info, text);
  }
}

void Progress::finish() {
  if (display_ == ProgressDisplay::lines && !finished_) report(true);
  std::lock_guard lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  if (display_ == ProgressDisplay::bar) log::clear_status();
}

std::string Progress::render(const std::string& label, uint64_t done, uint64_t total, const std::string& unit,
                             double seconds, bool with_bar) {
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::string out = label;
  if (total > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    out += fmt::format(" {:3.0f}%", fraction * 100.0);
    if (with_bar) {
      constexpr int kWidth = 24;
      int filled = static_cast<int>(fraction * kWidth);
      out += " [" + std::string(filled, '#') + std::string(kWidth - filled, ' ') + "]";
    }
    out += fmt::format(" {}/{} {}", with_commas(done), with_commas(total), unit);
  } else {
    out += fmt::format(" {} {}", with_commas(done), unit);
  }
  out += fmt::format(" {} {}/s", si_number(rate), unit);
  if (total > 0 && rate > 0 && done < total) {
    out += " ETA " + clock_duration(static_cast<double>(total - done) / rate);
  } else {
    out += " " + clock_duration(seconds);
  }
  return out;
}

}  // namespace seqdl
