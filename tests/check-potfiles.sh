#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks po/POTFILES.in against the sources:
#  - every source file with translatable strings is listed (src/**/*.c *.cpp *.h *.ui with
#    _( N_( C_( NC_( ngettext( … or translatable="yes"; the desktop file, metainfo and
#    GSettings schema templates in data/);
#  - every listed file exists;
#  - the list is sorted (LC_ALL=C) and has no duplicates.
#   check-potfiles.sh [SOURCE-ROOT]
set -u

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
potfiles=po/POTFILES.in

if [ ! -f "$potfiles" ]; then
  echo "$potfiles is missing"
  exit 1
fi

LC_ALL=C
export LC_ALL

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the entries, without comments and blank lines
sed -e 's/[[:space:]]*$//' -e '/^#/d' -e '/^$/d' "$potfiles" > "$tmp/listed"

# the files that need to be listed
{
  find src -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.ui' \) \
    -exec grep -lE \
      '(^|[^A-Za-z0-9_])(N_|C_|NC_|Q_|_|ngettext|g_dngettext|g_dpgettext2?)[[:space:]]*\(|translatable="yes"' \
      {} +
  find data -maxdepth 1 -type f \
    \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.appdata.xml.in' \
       -o -name '*.gschema.xml' \)
} | sort -u > "$tmp/needed"

status=0

sort "$tmp/listed" > "$tmp/listed-sorted"
missing=$(comm -23 "$tmp/needed" "$tmp/listed-sorted")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from $potfiles:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi

while IFS= read -r entry; do
  if [ ! -f "$entry" ]; then
    echo "$potfiles lists a file that does not exist: $entry"
    status=1
  fi
done < "$tmp/listed"

duplicates=$(uniq -d "$tmp/listed-sorted")
if [ -n "$duplicates" ]; then
  echo "$potfiles lists files more than once:"
  echo "$duplicates" | sed 's/^/  /'
  status=1
fi

if ! sort -c "$tmp/listed" 2>/dev/null; then
  echo "$potfiles is not sorted; expected order:"
  sort -u "$tmp/listed" | sed 's/^/  /'
  status=1
fi

if [ $status -eq 0 ]; then
  echo "$potfiles: $(wc -l < "$tmp/listed") files, complete and sorted"
fi
exit $status
