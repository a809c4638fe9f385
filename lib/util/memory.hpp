// Process-wide allocator settings. LibTorch allocates and frees activation and gradient tensors of the same
// sizes every step; with glibc's defaults those above 128 KiB come from fresh mmap()s each time, and the page
// faults of touching them cost a small model (DeepBind) a third of its training time. Keeping them in the heap
// and not trimming it makes every step reuse the same pages.
#pragma once

#include <cstdint>

namespace seqdl {

void tune_memory_allocator();

// The machine's physical memory in bytes (0 when the system does not say). For refusing, before any work, a
// size that could never fit (a window of 10^12 bases), rather than failing on allocation or swapping the machine.
uint64_t physical_memory_bytes();

}  // namespace seqdl
