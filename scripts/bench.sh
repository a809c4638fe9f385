#!/usr/bin/env bash
# Side-by-side benchmarks: seqdl against the plain PyTorch baselines in ../shared/bench/reference, on the
# same input and thread count, alternating the two several times, reporting medians and ratios.
#   scripts/bench.sh              every row, then a summary table
#   scripts/bench.sh NAME ...     the named rows (scripts/bench.sh --list shows them)
#   options: --threads N (default 2), --repeats K (default 3), --list
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=$(scripts/build.sh seqdl seqdl_bench)
exec /usr/bin/python3 bench/bench.py --build-dir "$build_dir" "$@"
