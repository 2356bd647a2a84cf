#!/bin/sh
# Import benchmark: a generated accounting export of ROWS rows (default 1,000,000) imported
# by dunning-desk-cli into a new office database, against sqlite3's .import of the same file
# into one plain table, in the same run. Goal: at most 1.5x sqlite3's time, peak RSS < 100 MB.
set -eu
CLI="${DD_CLI:?}"
ROWS="${DD_BENCH_ROWS:-1000000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

csv="$tmp/export.csv"
"$CLI" demo-office --csv "$csv" --debtors "$ROWS" --rows "$ROWS" --error-rate 0.01 --seed 7
size=$(stat -c %s "$csv")
echo "# file: $ROWS rows, $((size / 1024 / 1024)) MiB"

measure () {
  # prints "seconds peak_rss_kib"
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err" || {
    cat "$tmp/err" >&2; exit 1; }
  cat "$tmp/time"
}

# The anchor: sqlite3 CLI importing the same file into one table, no checks, no merging.
set -- $(measure sqlite3 "$tmp/plain.db" ".mode csv" ".separator ;" ".import $csv export")
sqlite_s=$1; sqlite_kib=$2

set -- $(measure "$CLI" import "$csv" --database "$tmp/office.db" --quiet --json)
dd_s=$1; dd_kib=$2
rows_imported=$(python3 -c "import json; print(json.load(open('$tmp/out'))['rows']['imported'])")

python3 - "$sqlite_s" "$sqlite_kib" "$dd_s" "$dd_kib" "$ROWS" "$rows_imported" <<'PY'
import sys
s_s, s_k, d_s, d_k, rows, imported = sys.argv[1:]
s_s, d_s = float(s_s), float(d_s)
ratio = d_s / s_s if s_s > 0 else float("inf")
print(f"# sqlite3 .import      : {s_s:7.2f} s, peak RSS {int(s_k)/1024:6.1f} MiB")
print(f"# dunning-desk-cli import: {d_s:7.2f} s, peak RSS {int(d_k)/1024:6.1f} MiB, "
      f"{imported} of {rows} rows imported, {int(rows)/d_s:,.0f} rows/s")
print(f"# ratio: {ratio:.2f}x (goal <= 1.5x): {'met' if ratio <= 1.5 else 'NOT met'}; "
      f"RSS goal < 100 MiB: {'met' if int(d_k) < 100*1024 else 'NOT met'}")
PY
