#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The help as plain HTML, for a computer without a help viewer: the app opens it in the web
# browser. English from C/, the other languages translated from LANG/LANG.po with itstool.
#   build-html.sh SOURCE-DIR OUTPUT-DIR [LANG...]
set -eu

src=$1
out=$2
shift 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dd-help-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

rm -rf "$out"
mkdir -p "$out/C"
yelp-build html -o "$out/C" "$src/C"

for lang in "$@"; do
  mkdir -p "$tmp/$lang/figures" "$out/$lang"
  msgfmt -o "$tmp/$lang.mo" "$src/$lang/$lang.po"
  itstool -m "$tmp/$lang.mo" -l "$lang" -o "$tmp/$lang" "$src"/C/*.page "$src/C/legal.xml"
  cp "$src"/C/figures/* "$tmp/$lang/figures/"
  yelp-build html -o "$out/$lang" "$tmp/$lang"
done
