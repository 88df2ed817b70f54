#!/usr/bin/env bash
# Where the release binary's time goes checking the shared corpus, sampled
# by `perf` on the CPU clock: the functions with the most samples of their
# own, as shares of the run. Unlike `benches/instructions.sh` it sees what
# instructions do not: a look-up that misses the cache costs one
# instruction and a hundred cycles (the phrase automaton's 4.5 MB DFA, the
# anachronism automaton's 7 MB, the frequency table). Samples, not counts:
# a share moves by a few tenths of a percent between runs.
#
#   benches/profile.sh [BINARY] [-- CHECK-ARGS...]
#
# BINARY defaults to the release build of this checkout; CHECK-ARGS to
# `-q --fail-on never` over the corpus. TOP (environment, default 30) is
# how many functions are listed. Needs `perf` with access to the CPU clock
# event (`perf_event_paranoid` at 2 or less) and ../shared/corpus (skips
# without them). Inlined functions count as the function they are inlined
# into; the release profile keeps debug info, so `perf report` can go down
# to source lines (`--sort sym,srcline`) from the data file it names.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v perf >/dev/null; then
  echo "skipping: perf is not installed" >&2
  exit 0
fi
# Sets corpus and bin (the release binary, built), or exits without a corpus.
. benches/setup.sh
# Sets bin and args from [BINARY] [-- CHECK-ARGS...].
check_target "$@"
data=${PERF_DATA:-$(mktemp --suffix=.perf)}
if ! perf record -q -e cpu-clock -F 4999 -o "$data" "$bin" check "${args[@]}" >/dev/null 2>"$data.log"; then
  if grep -qi "permission\|paranoid\|not supported" "$data.log"; then
    echo "skipping: perf cannot sample here:" >&2
    cat "$data.log" >&2
    exit 0
  fi
fi
rm -f "$data.log"
echo "self time by function ($bin check ${args[*]}; data in $data):"
perf report -i "$data" --no-children --sort symbol --stdio 2>/dev/null |
  grep -E '^ +[0-9]' | head -n "${TOP:-30}" | sed -E 's/( +-)+ *$//; s/  +/  /g'
