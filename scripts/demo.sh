#!/usr/bin/env bash
# Quick-start command 1: install what is missing, build, and run seqdl's main job on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=$(scripts/build.sh)
seqdl="$build_dir/apps/seqdl/seqdl"

echo "== seqdl on this machine" >&2
"$seqdl" info --system
