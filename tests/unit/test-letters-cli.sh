#!/bin/sh
# dunning-desk-cli interest (issue 16): the calculation period by period as text and JSON, the
# office's change to a rate table taking effect, bad input refused.
set -u
CLI="${DD_CLI:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
nok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
json () { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

echo "1..6"
db="$tmp/office.db"

# 10,000.00 PLN due 2024-01-31 to 2024-03-31 at the shipped reference rate 5.75 % (+5.5):
# 60 days × 11.25 % / 365 = 184.93
"$CLI" interest --database "$db" --amount 10000 --due 2024-01-31 --to 2024-03-31 \
  --kind statutory --json > "$tmp/pl.json"
check "statutory: JSON total and one period" \
  "[ \"\$(json $tmp/pl.json \"d['interest'], len(d['periods']), d['periods'][0]['rate'], d['currency']\")\" = '18493 1 11.25 PLN' ]"

# 100,000.00 RUB across New Year 2024 at 16 %: 482.19 (/365) + 437.16 (/366)
"$CLI" interest --database "$db" --amount 100000 --due 2023-12-20 --to 2024-01-10 \
  --kind ru-395 > "$tmp/ru.txt"
check "ru-395: text shows both years' periods and the total" \
  "grep -q '11/365 = RUB.*482.19' $tmp/ru.txt && grep -q '10/366 = RUB.*437.16' $tmp/ru.txt && grep -q 'RUB.*919.35' $tmp/ru.txt"

# the office lowers the key rate from 2024-01-01 to 10 %: 482.19 + 273.22
sqlite3 "$db" "INSERT INTO rate_table (series, valid_from, rate, changed_at) VALUES ('cbr-key', '2024-01-01', '10.00', 'x')"
"$CLI" interest --database "$db" --amount 100000 --due 2023-12-20 --to 2024-01-10 \
  --kind ru-395 --json > "$tmp/ru2.json"
check "the office's rate change is used" "[ \"\$(json $tmp/ru2.json \"d['interest']\")\" = 75541 ]"

# commercial: the rate of 1 July 2025 (5.25 + 10) holds after the cut of 3 July
"$CLI" interest --database "$db" --amount 1000 --due 2025-07-31 --to 2025-08-30 \
  --kind commercial --json > "$tmp/com.json"
check "commercial: the half-year's rate" "[ \"\$(json $tmp/com.json \"d['periods'][0]['rate'], d['periods'][0]['days']\")\" = '15.25 30' ]"

"$CLI" interest --database "$db" --amount 1000 --due 2025-07-31 --kind simple > /dev/null 2>&1
check "an unknown kind is refused" "[ $? -eq 2 ]"
"$CLI" interest --database "$db" --amount 1000 --due 2019-01-01 --to 2019-02-01 --kind ru-395 \
  > /dev/null 2> "$tmp/err"
check "a period without a known rate fails with a reason" "[ $? -eq 1 ] && grep -q 'cbr-key' $tmp/err"

exit $fail
