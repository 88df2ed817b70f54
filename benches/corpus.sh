#!/usr/bin/env bash
# Times the release binary over the shared corpus and prints MB/s.
#
#   benches/corpus.sh [RUNS] [extra manulint check args...]
#   benches/corpus.sh 5 --select doubled-word,draft-marker
#
# The corpus (13 public-domain novels, 7.6 MB) lives in ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
# Sets corpus and bin (the release binary, built), or exits without a corpus.
. benches/setup.sh
runs=${1:-5}
shift || true
bytes=$(find "$corpus" -name '*.txt' -print0 | xargs -0 cat | wc -c)
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" check "$corpus" --quiet --fail-on never "$@" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
summary=$("$bin" check "$corpus" --quiet --fail-on never "$@")
echo "runs (ms): ${times[*]}"
echo "median: ${median} ms for $bytes bytes = $(python3 -c "print(f'{$bytes / 1e6 / ($median / 1000):.1f}')") MB/s"
echo "$summary"
