#!/bin/sh
# dunning-desk-cli users: add with a role and a password read from standard input (only the
# yescrypt hash is stored), passwd changes and removes it, list and --json, bad uses refused.
set -u
CLI="${DD_CLI:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
nok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
db="$tmp/office.db"
q () { sqlite3 "$db" "$1"; }

echo "1..12"
printf 'Tajne-hasło 1\n' | "$CLI" users add "Anna Nowak" --role manager --database "$db" > "$tmp/out" 2>&1
check "users add with a password from stdin" '[ $? -eq 0 ] && grep -q "Anna Nowak" "$tmp/out"'
check "the role is stored" '[ "$(q "SELECT role FROM agent WHERE name = '"'"'Anna Nowak'"'"'")" = manager ]'
hash="$(q "SELECT password_hash FROM agent WHERE name = 'Anna Nowak'")"
check "only a yescrypt hash is stored" 'case "$hash" in "\$y\$"*) ! echo "$hash" | grep -q Tajne ;; *) false ;; esac'
"$CLI" users add "Olena Kowal" --no-password --database "$db" > /dev/null 2>&1
check "a consultant without a password" '[ "$(q "SELECT role || (password_hash IS NULL) FROM agent WHERE name = '"'"'Olena Kowal'"'"'")" = consultant1 ]'
printf 'konsultant\n' | "$CLI" users passwd "Olena Kowal" --database "$db" > /dev/null 2>&1
check "users passwd sets a password" '[ "$(q "SELECT password_hash IS NOT NULL FROM agent WHERE name = '"'"'Olena Kowal'"'"'")" = 1 ]'
printf 'nowe\n' | "$CLI" users passwd "Anna Nowak" --database "$db" > /dev/null 2>&1
check "users passwd changes the hash" '[ "$(q "SELECT password_hash FROM agent WHERE name = '"'"'Anna Nowak'"'"'")" != "$hash" ]'
"$CLI" users passwd "Olena Kowal" --remove --database "$db" > /dev/null 2>&1
check "users passwd --remove" '[ "$(q "SELECT password_hash IS NULL FROM agent WHERE name = '"'"'Olena Kowal'"'"'")" = 1 ]'
"$CLI" users list --json --database "$db" > "$tmp/list.json"
check "users list --json" 'python3 -c "import json,sys; d=json.load(open(\"$tmp/list.json\")); a={u[\"name\"]:u for u in d}; sys.exit(not (a[\"Anna Nowak\"][\"password\"] and a[\"Anna Nowak\"][\"role\"]==\"manager\" and not a[\"Olena Kowal\"][\"password\"]))"'
"$CLI" users add "Jan" --role boss --no-password --database "$db" > /dev/null 2>&1
check "an unknown role is a usage error" '[ $? -eq 2 ]'
"$CLI" users add "Jan" "Tajne" --database "$db" < /dev/null > /dev/null 2>&1
check "no password on the command line" '[ $? -eq 2 ] && [ "$(q "SELECT COUNT(*) FROM agent WHERE name = '"'"'Jan'"'"'")" = 0 ]'
"$CLI" users add "Jan" --database "$db" < /dev/null > /dev/null 2>&1
check "no password on stdin: nothing added" '[ $? -eq 1 ] && [ "$(q "SELECT COUNT(*) FROM agent WHERE name = '"'"'Jan'"'"'")" = 0 ]'
printf 'x\n' | "$CLI" users passwd "Nobody" --database "$db" > /dev/null 2>&1
check "users passwd of an unknown user fails" '[ $? -eq 1 ]'
exit $fail
