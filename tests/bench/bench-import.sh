#!/bin/sh
# Import benchmark: a generated accounting export of ROWS rows (default 1,000,000) imported
# by dunning-desk-cli into a new office database, against sqlite3's .import of the same file
# into one plain table, in the same run. Goal (issue 14): at most 5x sqlite3's time, peak RSS
# < 100 MB. Wall and CPU (user + sys) times are both printed: on a shared machine the wall time
# depends on the other load, the CPU time much less. A third line measures SQLite's own share
# alone: the rows of the imported office written again by sqlite3 into a new file, then the
# indexes and the search index (docs/PERFORMANCE.md, "what SQLite alone needs").
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

# SQLite's own share, measured alone: the rows the import wrote, copied by sqlite3 into a new
# file with the office's tables (no index, no trigger), row by row in id order (the WHERE
# keeps SQLite from copying whole records, which no import can do), then the office's indexes
# built once and its search index (FTS5) filled from the search rows: no parsing, no checks, no
# merging, no look-up. What an import of these rows cannot do in less time.
python3 - "$tmp/office.db" "$tmp" <<'PY'
import sqlite3, sys
office, tmp = sys.argv[1:]
con = sqlite3.connect(office)
tables, indexes = [], []
for kind, name, tbl, sql in con.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'debtor_search_%' ORDER BY rowid"):
    if kind == "table":
        tables.append(sql)
    elif kind == "index":
        indexes.append(sql)
filled = [name for (name,) in con.execute(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'debtor_search%'"
    " AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    if con.execute(f"SELECT EXISTS (SELECT 1 FROM \"{name}\")").fetchone()[0]]
with open(f"{tmp}/floor.sql", "w") as out:
    out.write(";\n".join(tables) + ";\n")
    out.write(f"ATTACH '{office}' AS o;\nBEGIN;\n")
    for name in filled:
        out.write(f"INSERT INTO main.\"{name}\" SELECT * FROM o.\"{name}\" WHERE rowid > 0;\n")
    out.write(";\n".join(indexes) + ";\n")
    out.write("INSERT INTO main.debtor_search (rowid, name, tax_id, phones, invoices, email)"
              " SELECT id, c0, c1, c2, c3, c4 FROM o.debtor_search_content;\nCOMMIT;\n")
PY
set -- $(measure sqlite3 "$tmp/floor.db" ".read $tmp/floor.sql")
floor_s=$1; floor_cpu=$3

python3 - "$sqlite_s" "$sqlite_kib" "$dd_s" "$dd_kib" "$ROWS" "$rows_imported" \
  "$sqlite_cpu" "$dd_cpu" "$floor_s" "$floor_cpu" <<'PY'
import sys
s_s, s_k, d_s, d_k, rows, imported, s_c, d_c, f_s, f_c = sys.argv[1:]
s_s, d_s, s_c, d_c, f_s, f_c = (float(v) for v in (s_s, d_s, s_c, d_c, f_s, f_c))
ratio = d_s / s_s if s_s > 0 else float("inf")
cpu_ratio = d_c / s_c if s_c > 0 else float("inf")
print(f"# sqlite3 .import      : {s_s:7.2f} s wall, {s_c:7.2f} s CPU, "
      f"peak RSS {int(s_k)/1024:6.1f} MiB")
print(f"# dunning-desk-cli import: {d_s:7.2f} s wall, {d_c:7.2f} s CPU, "
      f"peak RSS {int(d_k)/1024:6.1f} MiB, {imported} of {rows} rows imported")
print(f"# SQLite alone, the same rows, tables, indexes and search index: {f_s:7.2f} s wall, "
      f"{f_c:7.2f} s CPU = {f_s / s_s:.2f}x sqlite3 .import (wall), {f_c / s_c:.2f}x (CPU)")
print(f"# ratio (wall): {ratio:.2f}x, ratio (CPU): {cpu_ratio:.2f}x (goal <= 5x): "
      f"{'met' if ratio <= 5 else 'NOT met'}; "
      f"RSS goal < 100 MiB: {'met' if int(d_k) < 100*1024 else 'NOT met'}")
PY
