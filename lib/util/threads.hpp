// Thread counts: --threads 0 (the default) means every core this process may run on; and a parallel loop.
#pragma once

#include <cstddef>
#include <functional>

namespace seqdl {

// Cores in this process's CPU affinity mask (what a cluster scheduler grants), at least 1. Never throws.
int available_cores();

// Resolves a --threads value: 0 -> available_cores(); negative -> UsageError.
int resolve_threads(int requested);

// Calls body(begin, end) over [0, n) in chunks of `grain` items (the last may be shorter), on up to
// `threads` threads (the calling thread is one of them); chunks are handed out as threads become free.
// Results are deterministic when the body writes only to the items of its own chunk. The first exception
// thrown by a body is rethrown here after every thread has stopped (the remaining chunks are skipped).
void parallel_for(size_t n, int threads, size_t grain, const std::function<void(size_t begin, size_t end)>& body);

}  // namespace seqdl
