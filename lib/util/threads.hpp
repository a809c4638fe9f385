// Thread counts: --threads 0 (the default) means every core this process may run on.
#pragma once

namespace seqdl {

// Cores in this process's CPU affinity mask (what a cluster scheduler grants), at least 1. Never throws.
int available_cores();

// Resolves a --threads value: 0 -> available_cores(); negative -> UsageError.
int resolve_threads(int requested);

}  // namespace seqdl
