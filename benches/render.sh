#!/usr/bin/env bash
# What printing the findings costs: paired runs of the release binary over the
# shared corpus, `--quiet` (summary only) against the full human report (and
# `--no-group`), to /dev/null. Prints median CPU seconds (user + sys, steadier
# than wall time on a busy machine), median wall seconds, and the ratios.
#
#   benches/render.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
# Sets corpus and bin (the release binary, built), or exits without a corpus.
. benches/setup.sh
runs=${1:-5}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for _ in $(seq "$runs"); do
  for mode in quiet human no-group; do
    case $mode in
      quiet) args=(--quiet) ;;
      human) args=() ;;
      no-group) args=(--no-group) ;;
    esac
    /usr/bin/time -f "$mode %U %S %e" -a -o "$log" \
      "$bin" check "$corpus" --fail-on never --color never "${args[@]}" >/dev/null
  done
done
python3 - "$log" <<'PY'
import statistics, sys
cpu, wall = {}, {}
for line in open(sys.argv[1]):
    mode, user, system, elapsed = line.split()
    cpu.setdefault(mode, []).append(float(user) + float(system))
    wall.setdefault(mode, []).append(float(elapsed))
base_cpu, base_wall = statistics.median(cpu["quiet"]), statistics.median(wall["quiet"])
for mode in ("quiet", "human", "no-group"):
    c, w = statistics.median(cpu[mode]), statistics.median(wall[mode])
    print(f"{mode:9} cpu {c:6.2f}s ({c / base_cpu:.2f}x)  wall {w:6.2f}s ({w / base_wall:.2f}x)")
PY
