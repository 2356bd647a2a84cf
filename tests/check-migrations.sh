#!/bin/sh
# Every schema migration exists for both drivers, with the same number and name:
# data/sql/sqlite/NNN-name.sql and data/sql/postgresql/NNN-name.sql (DESIGN.md §4), and both
# are in the core GResource. Prints TAP.
#   check-migrations.sh SOURCE_ROOT
set -u
root="$1"
n=0
fail=0
for dialect in sqlite postgresql; do
  other=postgresql
  [ "$dialect" = postgresql ] && other=sqlite
  for f in "$root"/data/sql/$dialect/*.sql; do
    name=$(basename "$f")
    n=$((n + 1))
    if [ -f "$root/data/sql/$other/$name" ]; then
      echo "ok $n - $dialect/$name has its $other counterpart"
    else
      echo "not ok $n - $dialect/$name has no $other counterpart"
      fail=1
    fi
    n=$((n + 1))
    if grep -q "<file>sql/$dialect/$name</file>" "$root/data/dd-core.gresource.xml"; then
      echo "ok $n - sql/$dialect/$name is in dd-core.gresource.xml"
    else
      echo "not ok $n - sql/$dialect/$name is missing from dd-core.gresource.xml"
      fail=1
    fi
  done
done
echo "1..$n"
exit $fail
