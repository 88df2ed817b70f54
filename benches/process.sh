#!/usr/bin/env bash
# Whole-process timings of the release binary, the figures in the README's
# "Performance" section: min / median / max wall seconds, CPU, peak memory
# and page faults.
#
#   benches/process.sh [RUNS]          (default 5)
#
# CPU is user + system time (a fairer figure than wall time on a machine
# busy with other work); the system's share of it is shown too, with the
# minor page faults: each is a page of fresh memory the system zeroes,
# 2-5 us apiece on the virtual development machine, where they were a
# tenth to a quarter of a corpus run's CPU. Cases: a one-line chapter
# (start-up), one chapter of Emma, the same chapter with a story year (which
# loads the anachronism knowledge base), the shared corpus as one manuscript
# with -q and with the human report, the corpus four times over
# (linearity), and `typos` over the same files when it is installed
# (`cargo install typos-cli`). Needs ../shared/corpus; skips with a message
# without it. Timings are noisy on a busy machine: compare runs made
# together.
set -euo pipefail
cd "$(dirname "$0")/.."
# Sets corpus and bin (the release binary, built), or exits without a corpus.
. benches/setup.sh
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'It was late.\n' >"$work/tiny.txt"
mkdir -p "$work/x4"
for copy in 1 2 3 4; do
  cp -r "$corpus" "$work/x4/copy-$copy"
done

# median VALUE...: the middle value of the sorted list.
median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(($# / 2 + 1))p"
}

# measure LABEL COMMAND...: RUNS runs; prints min/median/max s, the median
# CPU (and its system part) and page faults, and max RSS.
measure() {
  local label=$1
  shift
  local times=() cpus=() systems=() faults=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M %U %S %R' -o "$work/time" "$@" >/dev/null 2>&1 || true
    # The last line: a failing command adds "Command exited with ..." first.
    read -r seconds kb user system minor < <(tail -n 1 "$work/time")
    times+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
    systems+=("$system")
    faults+=("$minor")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%-22s wall min %6.3f  median %6.3f  max %6.3f s   CPU median %6.3f s (system %5.3f)   page faults %6d   peak %4d MiB\n' \
    "$label" "${sorted[0]}" "$(median "${times[@]}")" "${sorted[$((runs - 1))]}" \
    "$(median "${cpus[@]}")" "$(median "${systems[@]}")" "$(median "${faults[@]}")" $((peak / 1024))
}

bytes=$(find "$corpus" -name '*.txt' -print0 | xargs -0 cat | wc -c)
echo "corpus: $bytes bytes of .txt; $(nproc) cores; $runs runs each"
measure "one-line chapter" "$bin" check "$work/tiny.txt" -q --fail-on never
measure "one Emma chapter" "$bin" check "$corpus/emma/chapter-01.txt" -q --fail-on never
measure "Emma chapter, --year" "$bin" check "$corpus/emma/chapter-01.txt" --year 1815 -q --fail-on never
measure "corpus -q" "$bin" check "$corpus" -q --fail-on never
measure "corpus, human report" "$bin" check "$corpus" --fail-on never --color never
measure "corpus x4 -q" "$bin" check "$work/x4" -q --fail-on never
if command -v typos >/dev/null 2>&1; then
  measure "typos, corpus" typos "$corpus"
else
  echo "typos not installed (cargo install typos-cli): no comparison"
fi
