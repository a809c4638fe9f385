#!/usr/bin/env bash
# Quick-start command 2: install what is missing, build, and run the whole test suite.
#   scripts/test.sh [ctest arguments...]     e.g. scripts/test.sh -R cli.encode
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=$(scripts/build.sh)
cd "$build_dir"
ctest --output-on-failure --parallel "$(nproc)" --timeout 1500 "$@"
