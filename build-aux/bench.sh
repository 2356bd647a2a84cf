#!/bin/sh
# make bench: an optimised build, then the benchmark suite (figures go to docs/PERFORMANCE.md).
set -eu
BENCHDIR="$1"
cd "$(dirname "$0")/.."
if [ ! -f "$BENCHDIR/build.ninja" ]; then
  meson setup "$BENCHDIR" --buildtype=release -Db_ndebug=if-release
fi
meson configure "$BENCHDIR" -Dui=true >/dev/null
ninja -C "$BENCHDIR"
meson test -C "$BENCHDIR" --suite bench --verbose --timeout-multiplier 4
