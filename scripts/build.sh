#!/usr/bin/env bash
# Configures (once) and builds seqdl incrementally; prints the build folder. Used by demo.sh, test.sh and bench.sh.
#   scripts/build.sh              everything (the tests too)
#   scripts/build.sh TARGET ...   only these CMake targets and what they need (demo.sh: seqdl)
#   SEQDL_BUILD_DIR   build folder (default: build)
#   SEQDL_PRESET      CMake preset (release, debug, asan); default release
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${SEQDL_PRESET:-release}
build_dir=${SEQDL_BUILD_DIR:-build}
[[ $preset == release ]] || build_dir=${SEQDL_BUILD_DIR:-build-$preset}

# Each LibTorch translation unit needs ~1.5 GB to compile: cap the jobs by memory as well as cores.
cores=$(nproc)
mem_gb=$(awk '/MemAvailable/ {print int($2 / 1048576)}' /proc/meminfo)
jobs=$(( mem_gb / 2 < cores ? (mem_gb / 2 > 0 ? mem_gb / 2 : 1) : cores ))

if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake --preset "$preset" -B "$build_dir" >&2
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build_dir" --parallel "$jobs" "${targets[@]}" >&2
echo "$build_dir"
