# Sourced by the bench scripts from the repository root: sets `corpus` (the
# shared corpus, ../shared/corpus or $CORPUS) and `bin` (the release binary,
# built here), or exits 0 with a message when there is no corpus.
corpus=${CORPUS:-../shared/corpus}
if [ ! -d "$corpus" ]; then
  echo "skipping: no corpus at $corpus" >&2
  exit 0
fi
cargo build --release --quiet
bin=$PWD/target/release/manulint
