# Sourced by the bench scripts from the repository root: sets `corpus` (the
# shared corpus, ../shared/corpus or $CORPUS) and `bin` (the release binary,
# built here), or exits 0 with a message when there is no corpus; defines
# `check_target` (below).
corpus=${CORPUS:-../shared/corpus}
if [ ! -d "$corpus" ]; then
  echo "skipping: no corpus at $corpus" >&2
  exit 0
fi
cargo build --release --quiet
bin=$PWD/target/release/manulint

# check_target ARGS...: reads the `[BINARY] [-- CHECK-ARGS...]` arguments of
# the profiling scripts into `bin` (kept when no BINARY is given) and the
# array `args` (default: `-q --fail-on never` over the corpus).
check_target() {
  if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    bin=$1
    shift
  fi
  [ "${1:-}" = "--" ] && shift
  args=("$@")
  [ ${#args[@]} -eq 0 ] && args=("$corpus" -q --fail-on never)
  return 0
}
