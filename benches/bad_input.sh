#!/usr/bin/env bash
# The big cases of the bad-input matrix, with the release binary: time and
# peak memory (/usr/bin/time -v) of one huge chapter and of one huge single
# line, beside the whole corpus checked as it is.
#
#   benches/bad_input.sh [SIZE_MB] [TIMEOUT_S]        # default 100 MB, 600 s
#   PER_RULE=1 benches/bad_input.sh 32                # also each rule alone,
#                                                     # at SIZE/4 and SIZE
#
# The huge chapter is the corpus (../shared/corpus, 7.6 MB of novels)
# concatenated and repeated up to SIZE_MB, so it holds real prose and — by
# construction — every paragraph about SIZE/7.6 times. The single line is the
# same text with every line break made a space. A run that passes TIMEOUT_S
# is killed and reported as such. Files are written to a temporary folder
# and removed at the end. Also: one sentence pasted 20,000 and 80,000 times.
set -euo pipefail
cd "$(dirname "$0")/.."
# Sets corpus and bin (the release binary, built), or exits without a corpus.
. benches/setup.sh
size_mb=${1:-100}
limit=${2:-600}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.git"

# Text of the whole corpus, repeated up to SIZE_MB; then the one-line twin.
make_big() { # size_mb out_file
  local want=$(( $1 * 1024 * 1024 )) out=$2
  : > "$out"
  while [ "$(stat -c %s "$out")" -lt "$want" ]; do
    find "$corpus" -name '*.txt' -print0 | sort -z | xargs -0 cat >> "$out"
    printf '\n\n' >> "$out"
  done
  truncate -s "$want" "$out"
  # End on a whole word and a full stop, like a chapter.
  printf '.\n' >> "$out"
}

# Runs manulint under /usr/bin/time; prints "seconds CPU peak_MB [times] exit".
measure() { # label args...
  local label=$1; shift
  local log="$work/time.log"
  set +e
  /usr/bin/time -v timeout "$limit" "$bin" check "$@" --quiet --fail-on never \
    >/dev/null 2>"$log"
  local status=$?
  set -e
  local wall rss cpu
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  cpu=$(awk '/User time|System time/ { s += $NF } END { printf "%.1f", s }' "$log")
  if [ "$status" -eq 124 ]; then
    status="timeout (${limit}s)"
  fi
  # For one file, the peak as a multiple of its size: the bound is 5 at
  # 100 MB; small files show more, the fixed 40 MB of data and code counting.
  local times=""
  if [ -f "$1" ]; then
    times=$(awk -v rss="$rss" -v size="$(stat -c %s "$1")" \
      'BEGIN { printf "%.2fx file", rss * 1024 / size }')
  fi
  printf '%-34s %10s %8ss %8s MB %11s   exit %s\n' "$label" "$wall" "$cpu" "$(( rss / 1024 ))" \
    "$times" "$status"
}

corpus_mb=$(find "$corpus" -name '*.txt' -print0 | xargs -0 cat | wc -c | awk '{printf "%.1f", $1/1048576}')
printf '%-34s %10s %9s %11s %11s\n' "case" "wall" "CPU" "peak RSS" "of the file"
measure "corpus as it is (${corpus_mb} MB)" "$corpus"

make_big "$size_mb" "$work/chapter.txt"
tr '\n' ' ' < "$work/chapter.txt" > "$work/line.txt"
printf '\n' >> "$work/line.txt"
measure "one ${size_mb} MB chapter" "$work/chapter.txt"
measure "one ${size_mb} MB line" "$work/line.txt"
# One sentence pasted over and over (a template, generated text): the
# time must grow with the copies, not their square (20,000 and 80,000).
for copies in 20000 80000; do
  awk -v n="$copies" 'BEGIN { for (i = 0; i < n; i++)
    print "The tide came in over the flats and the gulls rose crying.\n" }' > "$work/copies-$copies.txt"
  measure "  one sentence ${copies} times" "$work/copies-$copies.txt"
done
cheap=doubled-word,draft-marker,quote-style,dialogue-dash,ellipsis-style,truncated-text
measure "  chapter, cheap rules only" "$work/chapter.txt" --select "$cheap"
measure "  line, cheap rules only" "$work/line.txt" --select "$cheap"

if [ -n "${PER_RULE:-}" ]; then
  quarter=$(( size_mb / 4 ))
  make_big "$quarter" "$work/quarter.txt"
  echo
  echo "each rule alone: ${quarter} MB, then ${size_mb} MB (linear: 4x the time)"
  for rule in $("$bin" rules | awk 'NR>1 && $1 ~ /^[a-z]/ {print $1}'); do
    measure "  $rule ${quarter} MB" "$work/quarter.txt" --select "$rule"
    measure "  $rule ${size_mb} MB" "$work/chapter.txt" --select "$rule"
  done
fi
