#include "util/memory.hpp"

#include <malloc.h>
#include <unistd.h>

namespace seqdl {

void tune_memory_allocator() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);  // blocks up to 256 MiB come from the heap and are reused
  mallopt(M_TRIM_THRESHOLD, 512 << 20);  // keep up to 512 MiB of freed heap instead of returning it at once
}

uint64_t physical_memory_bytes() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

}  // namespace seqdl
