#!/usr/bin/env bash
# Quick-start command 2: install what is missing, build, and run the whole test suite.
#   scripts/test.sh [ctest arguments...]               e.g. scripts/test.sh -R cli.encode
#   scripts/test.sh --sanitize [ctest arguments...]    the same under AddressSanitizer + UndefinedBehaviorSanitizer:
#                                                      preset asan, build-asan/ (LibTorch layers included)
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=0
if [[ ${1:-} == --sanitize ]]; then
  sanitize=1
  shift
fi
scripts/setup.sh
if ((sanitize)); then
  build_dir=$(SEQDL_PRESET=asan scripts/build.sh)
  # Every finding stops the process with a report (halt_on_error); leaks are reported at exit; UBSan prints the
  # stack. LibTorch and htslib are not instrumented: only seqdl's own code is checked, through their calls.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_string_checks=1:check_initialization_order=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  # The unit tests scan thread-local storage for roots, as LeakSanitizer does by default. The CLI tests' seqdl
  # processes (tests/cli/seqdl_test.py applies SEQDL_CLI_LSAN_OPTIONS to them) cannot: LeakSanitizer's thread stopper
  # crashes ("Tracer caught signal 11") scanning the dynamic TLS of a process that has loaded LibTorch's JIT or
  # autograd threads at exit (glibc 2.36, GCC 12's libsanitizer). With use_tls=0 what glibc, the loader, GLib,
  # libgomp, htscodecs and libsrt keep only in TLS reads as leaks, which lsan.supp names with the reasons; the unit
  # tests keep TLS scanned, so those suppressions hide nothing there.
  supp=$PWD/tests/sanitizer/lsan.supp
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$supp:print_suppressions=0}
  export SEQDL_CLI_LSAN_OPTIONS=${SEQDL_CLI_LSAN_OPTIONS:-use_tls=0:suppressions=$supp:print_suppressions=0}
else
  build_dir=$(scripts/build.sh)
fi
cd "$build_dir"
ctest --output-on-failure --parallel "$(nproc)" --timeout $((sanitize ? 4500 : 1500)) "$@"
