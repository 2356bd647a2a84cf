#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every help page is translated completely in every language of LINGUAS: each message of the
# pages as they are now (not only of the PO file) has a translation that is not fuzzy.
#   check-translations.sh HELP-SOURCE-DIR
set -eu

src=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dd-help-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

itstool -o "$tmp/help.pot" "$src"/C/*.page "$src/C/legal.xml"
total=$(msgattrib --no-obsolete "$tmp/help.pot" | grep -c '^msgid ' || true)
# the header's msgid "" is not a message
total=$((total - 1))
langs=$(grep -v '^#' "$src/LINGUAS" | tr -s ' \n' ' ')
[ -n "$langs" ] || { echo "FAIL: no language in LINGUAS"; exit 1; }

status=0
for lang in $langs; do
  po="$src/$lang/$lang.po"
  [ -f "$po" ] || { echo "not ok - $lang: $po is missing"; status=1; continue; }
  msgfmt -c -o /dev/null "$po" || { echo "not ok - $lang: $po is not valid"; status=1; continue; }
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/help.pot"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header too when it prints any message
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
    echo "not ok - $lang: $untranslated of $total messages untranslated, $fuzzy fuzzy"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^#:' | head -20
    status=1
  else
    echo "ok - $lang: all $total messages translated"
  fi
done
exit $status
