#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, preset `fuzz`: clang, ASan + UBSan, build-fuzz/) and runs them.
#   scripts/fuzz.sh                    every target, 60 s each
#   scripts/fuzz.sh TARGET [SECONDS]   one target (e.g. bed, or fuzz_bed), SECONDS long (default 60)
#   scripts/fuzz.sh all SECONDS        every target, SECONDS each, one after the other
# Each run starts from the seeds (tests/fuzz/corpus/TARGET) plus what earlier runs found (build-fuzz/corpus/
# TARGET, where new inputs go), at the lowest priority (nice 19), on one core. A crash, leak, timeout (10 s) or an
# allocation over 2 GB stops the target: the input is saved as build-fuzz/artifacts/TARGET/crash-*; copy it into
# tests/fuzz/corpus/TARGET/ with the fix so that `ctest -R fuzz.` replays it. Logs: build-fuzz/logs/TARGET.log.
# Prints one line per target: executions, coverage (cov: edges, ft: features), corpus size, and the outcome.
# Exit status: 0 when every target ran clean, 1 otherwise.
#   SEQDL_FUZZ_ARGS   extra libFuzzer flags (e.g. "-max_len=65536")
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-all}
seconds=${2:-60}
all=(label_table bed region gff motif model_file spec npy sequence indexed_fasta vcf coverage_text junctions bigwig)
if [[ $target == all ]]; then
  targets=("${all[@]}")
else
  targets=("${target#fuzz_}")
  [[ " ${all[*]} " == *" ${targets[0]} "* ]] || { echo "fuzz.sh: unknown target '$target' (${all[*]})" >&2; exit 2; }
fi

scripts/setup.sh --fuzz
build_dir=$(SEQDL_PRESET=fuzz scripts/build.sh "${targets[@]/#/fuzz_}")

scratch=$(mktemp -d "${TMPDIR:-/tmp}/seqdl-fuzz.XXXXXX")
[[ -w /dev/shm ]] && { rmdir "$scratch"; scratch=$(mktemp -d /dev/shm/seqdl-fuzz.XXXXXX); }
trap 'rm -rf "$scratch"' EXIT

status=0
for t in "${targets[@]}"; do
  corpus=$build_dir/corpus/$t artifacts=$build_dir/artifacts/$t log=$build_dir/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dict=()
  [[ -f tests/fuzz/dict/$t.dict ]] && dict=(-dict="tests/fuzz/dict/$t.dict")
  rc=0
  # shellcheck disable=SC2086
  SEQDL_FUZZ_SCRATCH=$scratch/$t nice -n 19 "$build_dir/tests/fuzz/fuzz_$t" "$corpus" "tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" ${SEQDL_FUZZ_ARGS:-} >"$log" 2>&1 || rc=$?
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\) .*/\1/p' <<<"$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$done_line")
  if ((rc == 0)); then
    outcome=clean
  else
    outcome="FAILED (exit $rc; see $log and $artifacts/)"
    status=1
  fi
  printf '%-14s %5ss  execs %-10s cov %-6s ft %-7s corpus %-5s %s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$outcome"
done
exit $status
