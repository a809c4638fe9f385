#include "util/memory.hpp"

#include <malloc.h>

namespace seqdl {

void tune_memory_allocator() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);  // blocks up to 256 MiB come from the heap and are reused
  mallopt(M_TRIM_THRESHOLD, 512 << 20);  // keep up to 512 MiB of freed heap instead of returning it at once
}

}  // namespace seqdl
