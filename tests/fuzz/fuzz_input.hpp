// Helpers shared by the fuzz targets (tests/fuzz/fuzz_<parser>.cpp).
//
// seqdl's readers take paths (htslib opens them), so a target writes the fuzzer's bytes to a file first. The
// file lives in /dev/shm when it exists (memory, no disk traffic per execution), is rewritten in place each time
// and is named with the extension the reader decides its format by (".narrowPeak", ".gtf", ...).
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace seqdl::fuzz {

// A scratch folder: $SEQDL_FUZZ_SCRATCH (scripts/fuzz.sh makes one and removes it afterwards), else
// /dev/shm (or $TMPDIR, or /tmp)/seqdl-fuzz-<pid>, removed when the process exits normally.
inline const std::string& scratch_dir() {
  struct Dir {
    std::string path;
    bool owned = false;
    Dir() {
      if (const char* given = std::getenv("SEQDL_FUZZ_SCRATCH")) {
        path = given;
      } else {
        const char* tmp = std::getenv("TMPDIR");
        std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (tmp ? tmp : "/tmp");
        path = base + "/seqdl-fuzz-" + std::to_string(getpid());
        owned = true;
      }
      mkdir(path.c_str(), 0700);
    }
    ~Dir() {
      std::error_code ec;
      if (owned) std::filesystem::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}

// Writes `size` bytes to <scratch>/<name> (replacing what was there) and returns the path.
inline std::string write_input(std::string_view name, const uint8_t* data, size_t size) {
  std::string path = scratch_dir() + "/" + std::string(name);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) std::abort();
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  close(fd);
  return path;
}

// Consumes the first byte as a selector (0 when the input is empty): lets one target try several modes.
inline uint8_t take_selector(const uint8_t*& data, size_t& size) {
  if (size == 0) return 0;
  uint8_t s = data[0];
  ++data;
  --size;
  return s;
}

}  // namespace seqdl::fuzz
