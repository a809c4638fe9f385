// Atomic outputs: write to a temporary name beside the target and rename it into place on commit(),
// so that a failed or interrupted run never leaves a partial file under the name a workflow expects.
// "-" means stdout (no temporary; commit() flushes). Devices and pipes (/dev/null, a FIFO) are written
// directly, since there is no file to replace.
//
// The temporary is ".<name>.seqdl-XXXXXX" in the target's folder (so that rename() is atomic), created with
// the usual permissions (0666 less the umask). It is removed when the object goes without commit() (an
// exception unwinding past it) and, through handlers installed on first use for SIGINT, SIGTERM and SIGHUP
// (where the program has not set its own), when the process is interrupted.
//
// Threads: one AtomicFile or AtomicDir is not safe to use from two threads at once; distinct ones are
// independent (the registry of pending temporaries that the signal handler reads is lock-free).
#pragma once

#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace seqdl {

class AtomicFile {
 public:
  enum class Mode {
    stream,  // open the temporary for writing through file()
    path,    // only reserve the temporary name, for libraries that open files themselves (htslib, BigWig)
  };

  // Creates the temporary (Mode::stream: and opens it). Throws UsageError for an empty path or for "-" with
  // Mode::path (a library cannot be handed stdout by name), InputError when the target's folder is missing or
  // the temporary cannot be created there (permissions, disk full).
  explicit AtomicFile(std::string target, Mode mode = Mode::stream);
  ~AtomicFile();  // removes the temporary unless committed; never throws
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& target() const { return target_; }
  // Where a library writes in Mode::path (the caller opens, writes and closes it before commit()); the target
  // itself for a device or pipe. Valid for the object's lifetime; the file is gone after a failed commit().
  const std::string& temp_path() const { return temp_; }
  bool is_stdout() const { return target_ == "-"; }
  // The open stream (Mode::stream), owned by this object: write to it, never fclose it. stdout for "-";
  // nullptr in Mode::path and after commit().
  std::FILE* file() { return file_; }

  // Append to file(). Write errors (disk full...) are not reported here: the stream remembers them and
  // commit() throws.
  void write(std::string_view data);
  // Formatted append, with write's error handling (fmt::print to a FILE* would throw its own system_error).
  template <class... Args>
  void print(fmt::format_string<Args...> f, Args&&... args) {
    fmt::memory_buffer text;
    fmt::format_to(std::back_inserter(text), f, std::forward<Args>(args)...);
    write(std::string_view(text.data(), text.size()));
  }

  // Flushes and closes the stream, checks for write errors, and renames the temporary over the target (which
  // appears complete or not at all). Throws InputError naming the target, after removing the temporary.
  // Once it has succeeded, calling it again does nothing.
  void commit();

 private:
  void discard() noexcept;

  std::string target_, temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  bool direct_ = false;  // the target is a device or pipe, written in place
};

// A directory output: files are written into a temporary directory beside the target, which replaces
// the target on commit(). Existing files in the target directory are kept unless overwritten.
// The temporary directory should hold plain files only (the signal handler removes one level).
class AtomicDir {
 public:
  // Creates the temporary directory. Throws UsageError for an empty path, InputError when the parent folder is
  // missing, the target exists and is not a directory, or the temporary cannot be created.
  explicit AtomicDir(std::string target);
  ~AtomicDir();  // removes the temporary directory and its files unless committed; never throws
  AtomicDir(const AtomicDir&) = delete;
  AtomicDir& operator=(const AtomicDir&) = delete;

  // The path of file `name` inside the temporary directory, for the caller to write (e.g. with an AtomicFile,
  // committed before this directory is). Valid until commit().
  std::string path(std::string_view name) const;
  // A new target: the temporary directory is renamed to it (atomic). An existing target directory: each file
  // is renamed into it (each file atomic, the set not). Throws InputError naming the file that failed; files
  // already moved stay, the rest go with the temporary. Once it has succeeded, calling it again does nothing.
  void commit();

 private:
  std::string target_, temp_;
  bool committed_ = false;
};

// Removes every uncommitted temporary (file or directory) of this process; called from the signal
// handler that AtomicFile installs for SIGINT, SIGTERM and SIGHUP, and usable by tests. Async-signal-safe in
// practice (no allocation, no locks). Only the first 256 temporaries pending at once are registered; more
// are still atomic but not removed on a signal.
void remove_pending_temporaries() noexcept;

}  // namespace seqdl
