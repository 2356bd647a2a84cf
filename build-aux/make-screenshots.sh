#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the screenshots of the metainfo (data/screenshots/*.png) from a demo office:
#   build-aux/make-screenshots.sh [BUILD-DIR]      (default _build; configured with -Dui=true)
# The window is drawn by GTK itself in a private headless X server (tests/ui/run-under-xvfb.sh)
# at 1100x680, in English (the metainfo's captions are English), then the PNGs are made small
# (256 colours, stripped). Commit the PNGs; the metainfo points at their raw URLs on GitHub.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/_build"}
[ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=debugoptimized
ninja -C "$build" src/cli/dunning-desk-cli tests/ui/make-screenshots

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# the same demo office every time (fixed seed), so that the screenshots only change with the UI
"$build/src/cli/dunning-desk-cli" demo-office --debtors 120 --seed 2026 --locale pl \
  --database "$tmp/office.db" > /dev/null

GSETTINGS_SCHEMA_DIR="$build/data" LC_ALL=C.UTF-8 LANGUAGE=en \
  "$src/tests/ui/run-under-xvfb.sh" "$build/tests/ui/make-screenshots" "$tmp/office.db" "$tmp/shots"

mkdir -p "$src/data/screenshots"
for png in "$tmp"/shots/*.png; do
  convert "$png" -strip -colors 256 -define png:compression-level=9 \
    "$src/data/screenshots/$(basename "$png")"
  echo "data/screenshots/$(basename "$png"): $(wc -c < "$src/data/screenshots/$(basename "$png")") bytes"
done
