#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "util/error.hpp"

namespace seqdl {
namespace fs = std::filesystem;
namespace {

// Pending temporaries live in fixed slots so that the signal handler can remove them without
// allocating or locking.
constexpr size_t kSlots = 256, kPathMax = 4096;
struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being written, 2 file, 3 directory
  char path[kPathMax];
};
std::array<Slot, kSlots> g_slots;

// Read once at start-up: umask() can only be read by setting it, which must not race with other threads.
const mode_t g_umask = [] {
  mode_t m = ::umask(0);
  ::umask(m);
  return m;
}();

int register_pending(const std::string& path, bool directory) {
  if (path.size() >= kPathMax) return -1;
  for (size_t i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(directory ? 3 : 2);
      return static_cast<int>(i);
    }
  }
  return -1;  // more than kSlots outputs at once: still atomic, just not cleaned up on a signal
}

void unregister_pending(const std::string& path) {
  for (auto& slot : g_slots) {
    int s = slot.state.load();
    if ((s == 2 || s == 3) && path == slot.path) {
      slot.state.store(0);
      return;
    }
  }
}

void remove_tree_signal_safe(const char* dir) {
  // Temporary directories hold plain files only (written by us); a shallow walk is enough.
  // opendir is not async-signal-safe in theory; in practice glibc's is fine and the process is ending.
  if (DIR* d = ::opendir(dir)) {
    while (dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      char child[kPathMax];
      if (std::snprintf(child, sizeof child, "%s/%s", dir, e->d_name) < static_cast<int>(sizeof child)) {
        ::unlink(child);
      }
    }
    ::closedir(d);
  }
  ::rmdir(dir);
}

void on_signal(int sig) {
  remove_pending_temporaries();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old{};
      ::sigaction(sig, nullptr, &old);
      if (old.sa_handler == SIG_DFL) ::signal(sig, on_signal);
    }
  });
}

// "<dir>/.<name>.seqdl-XXXXXX": hidden, and in the target's directory so that rename() is atomic.
std::string temp_template(const std::string& target) {
  fs::path p(target);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::string name = ".";  // built piecewise: GCC 12 warns falsely (-Wrestrict) on "." + string
  name += p.filename().string();
  name += ".seqdl-XXXXXX";
  return (dir / name).string();
}

void check_target(const std::string& target) {
  if (target.empty()) throw UsageError("output path is empty");
  fs::path p(target);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError("cannot write {}: directory {} does not exist", target, dir.string());
}

}  // namespace

void remove_pending_temporaries() noexcept {
  for (auto& slot : g_slots) {
    int s = slot.state.load();
    if (s == 2) ::unlink(slot.path);
    if (s == 3) remove_tree_signal_safe(slot.path);
    if (s == 2 || s == 3) slot.state.store(0);
  }
}

AtomicFile::AtomicFile(std::string target, Mode mode) : target_(std::move(target)) {
  if (is_stdout()) {
    if (mode == Mode::path) throw UsageError("this output cannot be written to stdout ('-'); give a file name");
    file_ = stdout;
    return;
  }
  check_target(target_);
  struct stat st{};
  if (::stat(target_.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    // /dev/null, /dev/stdout, a named pipe: there is nothing to replace atomically, so write to it directly
    // (renaming a temporary over a device would replace the device with a file).
    direct_ = true;
    temp_ = target_;
    if (mode == Mode::stream) {
      file_ = std::fopen(target_.c_str(), "wb");
      if (file_ == nullptr) throw InputError("cannot write {}: {}", target_, errno_text(errno));
    }
    return;
  }
  install_signal_handlers();
  std::string tmpl = temp_template(target_);
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw InputError("cannot write {}: {}", target_, errno_text(errno));
  temp_ = tmpl;
  ::fchmod(fd, 0666 & ~g_umask);  // mkstemp creates 0600; outputs get the usual permissions
  register_pending(temp_, false);
  if (mode == Mode::path) {
    ::close(fd);
    return;
  }
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    int err = errno;
    ::close(fd);
    discard();
    throw InputError("cannot write {}: {}", target_, errno_text(err));
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) discard();
}

void AtomicFile::write(std::string_view data) {
  if (!data.empty()) std::fwrite(data.data(), 1, data.size(), file_);
}

void AtomicFile::commit() {
  if (committed_) return;
  if (is_stdout()) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) throw InputError("cannot write to stdout: {}", errno_text(errno));
    committed_ = true;
    return;
  }
  if (file_ != nullptr) {
    bool bad = std::fflush(file_) != 0 || std::ferror(file_) != 0;
    int err = errno;
    bad = (std::fclose(file_) != 0) || bad;
    file_ = nullptr;
    if (bad) {
      discard();
      throw InputError("cannot write {}: {}", target_, errno_text(err));
    }
  }
  if (direct_) {
    committed_ = true;
    return;
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    int err = errno;
    discard();
    throw InputError("cannot write {}: {}", target_, errno_text(err));
  }
  unregister_pending(temp_);
  committed_ = true;
}

void AtomicFile::discard() noexcept {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  file_ = nullptr;
  if (!temp_.empty() && !direct_) {
    ::unlink(temp_.c_str());
    unregister_pending(temp_);
  }
}

AtomicDir::AtomicDir(std::string target) : target_(std::move(target)) {
  while (target_.size() > 1 && target_.back() == '/') target_.pop_back();
  check_target(target_);
  std::error_code ec;
  if (fs::exists(target_, ec) && !fs::is_directory(target_, ec)) {
    throw InputError("cannot write {}: it exists and is not a directory", target_);
  }
  install_signal_handlers();
  std::string tmpl = temp_template(target_);
  if (::mkdtemp(tmpl.data()) == nullptr) throw InputError("cannot write {}: {}", target_, errno_text(errno));
  temp_ = tmpl;
  register_pending(temp_, true);
}

AtomicDir::~AtomicDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
  unregister_pending(temp_);
}

std::string AtomicDir::path(std::string_view name) const { return temp_ + "/" + std::string(name); }

void AtomicDir::commit() {
  if (committed_) return;
  std::error_code ec;
  ::chmod(temp_.c_str(), 0777 & ~g_umask);
  if (!fs::exists(target_, ec)) {
    fs::rename(temp_, target_, ec);
    if (ec) throw InputError("cannot write {}: {}", target_, ec.message());
  } else {
    // Merge into an existing directory: each file is renamed atomically into place.
    for (const auto& entry : fs::directory_iterator(temp_)) {
      fs::rename(entry.path(), fs::path(target_) / entry.path().filename(), ec);
      if (ec) throw InputError("cannot write {}: {}", (fs::path(target_) / entry.path().filename()).string(), ec.message());
    }
    fs::remove(temp_, ec);
  }
  unregister_pending(temp_);
  committed_ = true;
}

}  // namespace seqdl
