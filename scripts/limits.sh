#!/usr/bin/env bash
# Scale limits of the reading paths (docs/hardening.md): peak memory and time at two input sizes and their growth.
#   scripts/limits.sh                 every scenario (a 1-Gb FASTA and 10-million-row tables: ~15 min, ~3 GB of disk)
#   scripts/limits.sh NAME ...        these scenarios (scripts/limits.sh --list shows them)
#   options: --dir DIR (inputs there, kept), --keep, --threads N (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=$(scripts/build.sh seqdl seqdl_bench)
exec /usr/bin/python3 bench/limits.py --build-dir "$build_dir" "$@"
