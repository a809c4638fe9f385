// Logging to stderr with levels and the time elapsed since start, e.g.
//   [seqdl train 12.3s] epoch 3: train loss 0.412 ...
// The log also owns the terminal's status line (the progress bar): a message clears the bar, is
// printed, and the bar is redrawn under it, so bars and logs never interleave mid-line.
//
// Threads: write(), debug/info/warn, set_status and clear_status may be called from any thread (one lock
// orders the lines). set_level and set_program are for start-up, before other threads log.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace seqdl::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

void set_level(Level level);
Level level();
inline bool enabled(Level l) { return l >= level(); }

// The name shown in each line: "seqdl" or "seqdl <command>". The reference stays valid until the next
// set_program().
void set_program(std::string name);
const std::string& program();

// Seconds since the process started logging (first call to any log function).
double elapsed_seconds();

// One line to stderr, "[program 1.2s] message" ("warning: " / "error: " before the message at those levels),
// if `level` is enabled. Output errors are ignored (a log cannot report its own failure).
void write(Level level, std::string_view message);

template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::debug)) write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::info)) write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  if (enabled(Level::warn)) write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}

// Terminal status line (used by Progress): set_status replaces it, clear_status erases it; log lines are
// printed above it. Only call when stderr is a terminal (it is drawn with "\r" and an ANSI erase).
void set_status(std::string_view line);
void clear_status();

}  // namespace seqdl::log
