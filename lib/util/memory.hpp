// Process-wide allocator settings. LibTorch allocates and frees activation and gradient tensors of the same
// sizes every step; with glibc's defaults those above 128 KiB come from fresh mmap()s each time, and the page
// faults of touching them cost a small model (DeepBind) a third of its training time. Keeping them in the heap
// and not trimming it makes every step reuse the same pages.
#pragma once

namespace seqdl {

void tune_memory_allocator();

}  // namespace seqdl
