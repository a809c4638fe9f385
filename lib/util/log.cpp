#include "util/log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>

namespace seqdl::log {
namespace {

struct State {
  std::mutex mutex;
  Level level = Level::info;
  std::string program = "seqdl";
  std::string status;  // the status line currently drawn on the terminal, if any
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

State& state() {
  static State s;
  return s;
}

constexpr const char* kClearLine = "\r\033[K";

}  // namespace

void set_level(Level l) { state().level = l; }
Level level() { return state().level; }

void set_program(std::string name) {
  std::lock_guard lock(state().mutex);
  state().program = std::move(name);
}
const std::string& program() { return state().program; }

double elapsed_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - state().start).count();
}

void write(Level l, std::string_view message) {
  State& s = state();
  if (l < s.level) return;
  const char* tag = l == Level::warn ? "warning: " : l == Level::error ? "error: " : "";
  std::string line = fmt::format("[{} {:.1f}s] {}{}\n", s.program, elapsed_seconds(), tag, message);
  std::lock_guard lock(s.mutex);
  if (!s.status.empty()) std::fputs(kClearLine, stderr);
  std::fputs(line.c_str(), stderr);
  if (!s.status.empty()) std::fputs(s.status.c_str(), stderr);
  std::fflush(stderr);
}

void set_status(std::string_view line) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.status = line;
  std::fputs(kClearLine, stderr);
  std::fputs(s.status.c_str(), stderr);
  std::fflush(stderr);
}

void clear_status() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (s.status.empty()) return;
  s.status.clear();
  std::fputs(kClearLine, stderr);
  std::fflush(stderr);
}

}  // namespace seqdl::log
