#!/usr/bin/env bash
# Compile-time cost of #[derive(DingMessage)]: builds a crate of 200 derived event structs
# and the same crate with 200 hand-written impls (dependencies prebuilt, so only the crate
# itself is timed), and the clean build of dingbot-derive.
#
#   bash bench/compile-time/run.sh [RUNS]     (default 3 runs each; prints medians)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target"
# Without incremental compilation, a touched crate is compiled in full every time.
export CARGO_INCREMENTAL=0

python3 "$root/bench/compile-time/generate.py" "$work" "$root/dingbot" 200

median() { python3 -c 'import sys,statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.2f}")' "$@"; }

time_build() { # crate dir -> seconds of `cargo build` after touching its source
  local dir="$1" t=()
  (cd "$dir" && cargo build -q 2>/dev/null)          # dependencies, once
  for _ in $(seq "$runs"); do
    touch "$dir/src/lib.rs"
    local s e
    s=$(date +%s.%N); (cd "$dir" && cargo build -q); e=$(date +%s.%N)
    t+=("$(python3 -c "print($e-$s)")")
  done
  median "${t[@]}"
}

derived=$(time_build "$work/derived")
manual=$(time_build "$work/manual")
ratio=$(python3 -c "print(f'{$derived/$manual:.2f}')")

# dingbot-derive alone, its dependencies (syn, quote, proc-macro2) already built.
(cd "$root" && cargo build -q -p dingbot-derive)
t=()
for _ in $(seq "$runs"); do
  (cd "$root" && cargo clean -q -p dingbot-derive)
  s=$(date +%s.%N); (cd "$root" && cargo build -q -p dingbot-derive); e=$(date +%s.%N)
  t+=("$(python3 -c "print($e-$s)")")
done
derive_alone=$(median "${t[@]}")
# And from nothing: syn, quote, proc-macro2 and dingbot-derive.
(cd "$root" && cargo clean -q)
s=$(date +%s.%N); (cd "$root" && cargo build -q -p dingbot-derive); e=$(date +%s.%N)
derive_scratch=$(python3 -c "print(f'{$e-$s:.2f}')")

echo "200 derived structs:      ${derived} s (median of $runs, debug build of the crate alone)"
echo "200 hand-written impls:   ${manual} s"
echo "ratio derived/hand:       ${ratio}x"
echo "dingbot-derive alone:     ${derive_alone} s (clean, dependencies prebuilt)"
echo "dingbot-derive + deps:    ${derive_scratch} s (from nothing)"
