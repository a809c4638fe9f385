// Atomic outputs: write to a temporary name beside the target and rename it into place on commit(),
// so that a failed or interrupted run never leaves a partial file under the name a workflow expects.
// "-" means stdout (no temporary; commit() flushes). Devices and pipes (/dev/null, a FIFO) are written
// directly, since there is no file to replace.
#pragma once

#include <cstdio>
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

  explicit AtomicFile(std::string target, Mode mode = Mode::stream);
  ~AtomicFile();  // removes the temporary unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& target() const { return target_; }
  const std::string& temp_path() const { return temp_; }  // what a library should write to (Mode::path)
  bool is_stdout() const { return target_ == "-"; }
  std::FILE* file() { return file_; }

  void write(std::string_view data);
  template <class... Args>
  void print(fmt::format_string<Args...> f, Args&&... args) {
    fmt::print(file_, f, std::forward<Args>(args)...);
  }

  // Flushes, checks for write errors (disk full...) and renames into place. Throws InputError.
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
class AtomicDir {
 public:
  explicit AtomicDir(std::string target);
  ~AtomicDir();
  AtomicDir(const AtomicDir&) = delete;
  AtomicDir& operator=(const AtomicDir&) = delete;

  std::string path(std::string_view name) const;  // a file inside the temporary directory
  void commit();

 private:
  std::string target_, temp_;
  bool committed_ = false;
};

// Removes every uncommitted temporary (file or directory) of this process; called from the signal
// handler that AtomicFile installs for SIGINT, SIGTERM and SIGHUP, and usable by tests.
void remove_pending_temporaries() noexcept;

}  // namespace seqdl
