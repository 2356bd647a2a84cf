#!/bin/sh
# Import benchmark: a generated accounting export of ROWS rows (default 1,000,000) imported
# by dunning-desk-cli into a new office database, against sqlite3's .import of the same file
# into one plain table, in the same run. Goal (issue 14): at most 5x sqlite3's time, peak RSS
# < 100 MB. Wall and CPU (user + sys) times are both printed: on a shared machine the wall time
# depends on the other load, the CPU time much less.
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
  # prints "seconds peak_rss_kib cpu_seconds"
  /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err" || {
    cat "$tmp/err" >&2; exit 1; }
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$tmp/time"
}

# The anchor: sqlite3 CLI importing the same file into one table, no checks, no merging.
set -- $(measure sqlite3 "$tmp/plain.db" ".mode csv" ".separator ;" ".import $csv export")
sqlite_s=$1; sqlite_kib=$2; sqlite_cpu=$3

set -- $(measure "$CLI" import "$csv" --database "$tmp/office.db" --quiet --json)
dd_s=$1; dd_kib=$2; dd_cpu=$3
rows_imported=$(python3 -c "import json; print(json.load(open('$tmp/out'))['rows']['imported'])")

python3 - "$sqlite_s" "$sqlite_kib" "$dd_s" "$dd_kib" "$ROWS" "$rows_imported" \
  "$sqlite_cpu" "$dd_cpu" <<'PY'
import sys
s_s, s_k, d_s, d_k, rows, imported, s_c, d_c = sys.argv[1:]
s_s, d_s, s_c, d_c = float(s_s), float(d_s), float(s_c), float(d_c)
ratio = d_s / s_s if s_s > 0 else float("inf")
cpu_ratio = d_c / s_c if s_c > 0 else float("inf")
print(f"# sqlite3 .import      : {s_s:7.2f} s wall, {s_c:7.2f} s CPU, "
      f"peak RSS {int(s_k)/1024:6.1f} MiB")
print(f"# dunning-desk-cli import: {d_s:7.2f} s wall, {d_c:7.2f} s CPU, "
      f"peak RSS {int(d_k)/1024:6.1f} MiB, {imported} of {rows} rows imported")
print(f"# ratio (wall): {ratio:.2f}x, ratio (CPU): {cpu_ratio:.2f}x (goal <= 5x): "
      f"{'met' if ratio <= 5 else 'NOT met'}; "
      f"RSS goal < 100 MiB: {'met' if int(d_k) < 100*1024 else 'NOT met'}")
PY
