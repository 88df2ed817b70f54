#!/usr/bin/env bash
# Instructions the release binary executes checking the shared corpus, as
# counted by valgrind's callgrind on one thread: a figure that, unlike wall
# or CPU time, does not move with other work on the machine, so that a
# change of a percent or two can be seen (CPU time on the development
# machine wandered by a fifth between runs). It does not see the cost of
# cache misses: confirm a gain in time with alternated runs.
#
#   benches/instructions.sh [BINARY] [-- CHECK-ARGS...]
#
# BINARY defaults to the release build of this checkout; CHECK-ARGS to
# `-q --fail-on never` over the corpus. Takes about a minute and a quarter
# for the corpus. Needs valgrind and ../shared/corpus (skips without them).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  echo "skipping: valgrind is not installed" >&2
  exit 0
fi
# Sets corpus and bin (the release binary, built), or exits without a corpus.
. benches/setup.sh
# Sets bin and args from [BINARY] [-- CHECK-ARGS...].
check_target "$@"
out=$(mktemp)
trap 'rm -f "$out" "$out".*' EXIT
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
  "$bin" check "${args[@]}" >/dev/null 2>"$out.log" || true
total=$(sed -n 's/.*I *refs: *//p' "$out.log")
if [ -z "$total" ]; then
  echo "callgrind gave no count; its log:" >&2
  cat "$out.log" >&2
  exit 1
fi
echo "instructions: $total ($bin check ${args[*]})"
