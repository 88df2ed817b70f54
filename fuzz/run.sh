#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for MINUTES minutes each, one
# after another, and prints a table: target, seconds, executions, result.
#
#   fuzz/run.sh MINUTES [TARGET...]      e.g. fuzz/run.sh 30, fuzz/run.sh 0.5 engine
#
# Needs nightly Rust and cargo-fuzz (`cargo install cargo-fuzz`). Each input
# may take at most 10 s and the process at most 2 GB; a crash, a timeout or
# running out of memory stops that target and leaves the input in
# fuzz/artifacts/TARGET/. New inputs go to fuzz/corpus/TARGET/ (not
# committed); the committed seeds in fuzz/seeds/TARGET/ are read only.
# JOBS=N runs N targets at a time (default 1); each still gets MINUTES of
# its own. Exits 1 if any target failed. FUZZ_ARGS adds libFuzzer flags, e.g.
# FUZZ_ARGS="-fork=1 -ignore_crashes=1 -ignore_timeouts=1" to keep going
# past failures and collect them all.
set -euo pipefail
cd "$(dirname "$0")"
minutes=${1:?usage: fuzz/run.sh MINUTES [TARGET...]}
shift
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60); print (s < 1 ? 1 : s) }')
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
# Release build, debug assertions on (overflow checks, span asserts); no
# sanitizer: the code under test is safe Rust, and this builds and runs
# several times faster.
flags=(--sanitizer none --debug-assertions)
cargo +nightly fuzz build "${flags[@]}"
mkdir -p logs
jobs=${JOBS:-1}

# Runs one target; prints its row of the table.
run_target() {
  local target=$1 log="logs/$1.log" status runs result artifact
  mkdir -p "corpus/$target"
  set +e
  cargo +nightly fuzz run "${flags[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    ${FUZZ_ARGS:-} >"$log" 2>&1
  status=$?
  set -e
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1)
  if [ "$status" -eq 0 ]; then
    result="ok"
  else
    artifact=$(grep -o 'artifacts/[^ ]*' "$log" | tail -1 || true)
    result="FAILED (exit $status) ${artifact:-see fuzz/$log}"
  fi
  printf '%-10s %6ss %12s  %s\n' "$target" "$seconds" "${runs:-?}" "$result"
}

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$target" >>"$rows" &
  running=$((running + 1))
done
wait
printf '%-10s %7s %12s  %s\n' "target" "time" "executions" "result"
# In the order the targets were named, whatever order they finished in.
for target in "${targets[@]}"; do
  grep "^$target " "$rows"
done
! grep -q FAILED "$rows"
