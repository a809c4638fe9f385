#include "util/threads.hpp"

#include <sched.h>

#include <thread>

#include "util/error.hpp"

namespace seqdl {

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

int resolve_threads(int requested) {
  if (requested < 0) throw UsageError("--threads: expected 0 (all cores) or a positive number, found {}", requested);
  return requested == 0 ? available_cores() : requested;
}

}  // namespace seqdl
