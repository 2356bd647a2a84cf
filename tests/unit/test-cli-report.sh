#!/bin/sh
# dunning-desk-cli report: an office with an SMS campaign to 10 cases and 10 held out (60 % vs
# 30 % paid within two days), declarations and a consultant's work; --json, --csv and --pdf
# (its text, by pdftotext, holds the office's name, the period and the figures).
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

# the office's name from GSettings (a key file: the memory backend is per process)
export GSETTINGS_BACKEND=keyfile
export XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
printf '[io/github/dunningdesk/DunningDesk]\noffice-name=%s\n' "'Biuro Windykacji Łódź'" \
  > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"

echo "1..23"
db="$tmp/office.db"
"$CLI" stats --database "$db" > /dev/null
sqlite3 "$db" "
INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');
INSERT INTO agent (id, name, created_at) VALUES (1, 'Anna Konsultant', 'x');
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 20)
 INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)
 SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM k;
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,
 created_at, updated_at) SELECT id, id, 1, 10000, 'PLN', '2026-10-15', 'x', 'x' FROM debtor;
INSERT INTO campaign (id, name, kind, created_at, updated_at)
 VALUES (1, 'Listopad SMS', 'sms', 'x', 'x');
INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, cost_minor,
 cost_currency, created_at, updated_at, sent_at)
 SELECT 1, id, '+4860000' || id, 'm' || id, 'Pay',
  CASE WHEN id <= 8 THEN 'delivered' ELSE 'failed' END, 7, 'PLN', '2026-11-02T09:00:00Z', 'x',
  '2026-11-02T09:00:00Z' FROM debt_case WHERE id <= 10;
INSERT INTO campaign_holdout (campaign_id, case_id, held_at)
 SELECT 1, id, '2026-11-02T09:00:00Z' FROM debt_case WHERE id > 10;
INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)
 SELECT id, CASE WHEN id <= 10 THEN 1000 ELSE 500 END, 'PLN', '2026-11-03', 'test', 'x'
 FROM debt_case WHERE id <= 6 OR id BETWEEN 11 AND 13;
INSERT INTO declaration (case_id, amount_minor, currency, promised_on, channel, state,
 agent_id, created_at) VALUES (1, 1000, 'PLN', '2026-11-20', 'agent', 'kept', 1,
 '2026-11-06T10:00:00Z'), (2, 2000, 'PLN', '2026-11-20', 'agent', 'broken', 1,
 '2026-11-06T10:00:00Z');
INSERT INTO activity (case_id, kind, agent_id, created_at) VALUES
 (1, 'call', 1, '2026-11-03T10:00:00Z'), (2, 'call', 1, '2026-11-03T11:00:00Z');"

"$CLI" report campaign --database "$db" --json > "$tmp/campaign.json"
check "campaign --json: exits 0" "[ $? -eq 0 ]"
check "campaign --json: sent, delivered, failed, cost" \
  "[ \"\$(json $tmp/campaign.json \"[(c['sms_sent'], c['sms_delivered'], c['sms_failed'], c['cost_minor']) for c in d['campaigns']]\")\" = '[(10, 8, 2, 70)]' ]"

"$CLI" report effect --database "$db" --campaign 1 --json > "$tmp/effect.json"
check "effect --json: exits 0, payments imported" "[ $? -eq 0 ] && [ \"\$(json $tmp/effect.json \"d['payments_imported']\")\" = True ]"
check "effect --json: 60 % vs 30 %, difference 0.3" \
  "[ \"\$(json $tmp/effect.json \"[(e['window_days'], e['contacted'], e['contacted_share'], e['held_out_share'], round(e['difference'], 4), e['contacted_amount_minor']) for e in d['effect']][0]\")\" = '(2, 10, 0.6, 0.3, 0.3, 6000)' ]"
check "effect --json: the 95 % CI (0.3 ± 0.4158)" \
  "[ \"\$(json $tmp/effect.json \"[(round(e['ci_low'], 3), round(e['ci_high'], 3)) for e in d['effect']][0]\")\" = '(-0.116, 0.716)' ]"

"$CLI" report effect --database "$db" --csv "$tmp/effect.csv"
check "effect --csv: exits 0" "[ $? -eq 0 ]"
check "effect --csv: header" "head -1 '$tmp/effect.csv' | grep -q '^window_days,contacted,contacted_paid,contacted_share,contacted_amount,held_out,'"
check "effect --csv: the 2-day row" "grep -q '^2,10,6,0.6000,60.00,10,3,0.3000,15.00,0.3000,' '$tmp/effect.csv'"

LANGUAGE=pl "$CLI" report effect --database "$db" --csv "$tmp/effect-pl.csv" --spreadsheet
check "effect --csv --spreadsheet in Polish: BOM, semicolons, decimal commas" \
  "[ \"\$(head -c 3 '$tmp/effect-pl.csv' | od -An -tx1 | tr -d ' ')\" = efbbbf ] && grep -q '^2;10;6;0,6000;60,00;10;3;0,3000;15,00;0,3000;' '$tmp/effect-pl.csv'"

"$CLI" report promises --database "$db" --from 2026-11-01 --to 2026-11-30 --csv "$tmp/promises.csv"
check "promises --csv: by channel" "grep -q '^agent,2,1,1,0,30.00,10.00,20.00,0.00' '$tmp/promises.csv'"

"$CLI" report effect --database "$db" --from 2026-11-01 --to 2026-11-30 --pdf "$tmp/effect.pdf"
check "effect --pdf: exits 0 and writes a PDF" "[ $? -eq 0 ] && [ \"\$(head -c 5 '$tmp/effect.pdf')\" = '%PDF-' ]"
pdftotext -layout "$tmp/effect.pdf" "$tmp/effect.txt"
check "effect --pdf: the office, the period and the date" \
  "grep -q 'Biuro Windykacji Łódź' '$tmp/effect.txt' && grep -q '2026-11-01 – 2026-11-30' '$tmp/effect.txt' && grep -q \"\$(date +%Y-%m-%d)\" '$tmp/effect.txt'"
check "effect --pdf: the figures" "grep -q '60.0 %' '$tmp/effect.txt' && grep -q '30.0 %' '$tmp/effect.txt'"

"$CLI" report ageing --database "$db" --to 2026-11-30 --pdf "$tmp/ageing.pdf"
pdftotext -layout "$tmp/ageing.pdf" "$tmp/ageing.txt"
check "ageing --pdf: 20 cases in 31–60, balance 2 000.00" "grep '31–60' '$tmp/ageing.txt' | grep -q '20 .*2.*000\\.00'"

"$CLI" report work --database "$db" --creditor Alfa --json > "$tmp/work.json"
check "work --json --creditor by name" "[ \"\$(json $tmp/work.json \"[(w['agent'], w['calls'], w['cases_touched']) for w in d['work']]\")\" = \"[('Anna Konsultant', 2, 2)]\" ]"

"$CLI" report work --database "$db" --creditor Nobody --json > /dev/null 2> "$tmp/err"
check "an unknown creditor is refused" "[ $? -eq 1 ] && grep -q 'Nobody' '$tmp/err'"

# two SMS billed in euros besides the ten in złoty: a cost per currency, never one sum
sqlite3 "$db" "
INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, cost_minor,
 cost_currency, created_at, updated_at, sent_at)
 SELECT 1, id, '+4870000' || id, 'e' || id, 'Pay', 'delivered', 4, 'EUR',
  '2026-11-04T09:00:00Z', 'x', '2026-11-04T09:00:00Z' FROM debt_case WHERE id <= 2;"
"$CLI" report campaign --database "$db" --json > "$tmp/costs.json"
check "campaign --json: the cost in each currency" \
  "[ \"\$(json $tmp/costs.json \"[(c['billed'], c['cost_minor'], c['cost_currency']) for c in d['costs']]\")\" = \"[(2, 8, 'EUR'), (10, 70, 'PLN')]\" ]"
check "campaign --json: no cost summed across currencies" \
  "[ \"\$(json $tmp/costs.json \"[(c['sms_sent'], 'cost_minor' in c, c['cost'].replace(chr(0xa0), ' ')) for c in d['campaigns']]\")\" = \"[(12, False, '0.08 EUR, 0.70 PLN')]\" ]"
"$CLI" report campaign --database "$db" --csv "$tmp/costs.csv"
check "campaign --csv: a row per currency" \
  "grep -q '^1,Listopad SMS,,2,0.08,EUR' '$tmp/costs.csv' && grep -q '^1,Listopad SMS,,10,0.70,PLN' '$tmp/costs.csv' && ! grep -q '0\\.78' '$tmp/costs.csv'"
"$CLI" report campaign --database "$db" --pdf "$tmp/costs.pdf"
pdftotext -layout "$tmp/costs.pdf" "$tmp/costs.txt"
check "campaign --pdf: both costs, no sum" \
  "grep -q '0\\.08.*EUR' '$tmp/costs.txt' && grep -q '0\\.70.*PLN' '$tmp/costs.txt' && ! grep -q '0\\.78' '$tmp/costs.txt'"

sqlite3 "$db" "DELETE FROM payment"
"$CLI" report effect --database "$db" --json > "$tmp/none.json"
check "without payments: says so" "[ \"\$(json $tmp/none.json \"d['payments_imported']\")\" = False ]"

# campaign create holds out the given share of the cases, uncontacted
"$CLI" demo-office --debtors 40 --database "$tmp/demo.db" > /dev/null
"$CLI" campaign create --database "$tmp/demo.db" --name "Hold" --text "{name}" --plain --hold-out 50 > /dev/null
check "campaign create --hold-out 50: half the cases held out" \
  "[ \"\$(sqlite3 $tmp/demo.db 'SELECT COUNT(*) * 2 = (SELECT COUNT(DISTINCT case_id) FROM message) + COUNT(*) FROM campaign_holdout')\" = 1 ] && [ \"\$(sqlite3 $tmp/demo.db 'SELECT holdout_percent FROM campaign')\" = 50 ]"
check "no held-out case is messaged" \
  "[ \"\$(sqlite3 $tmp/demo.db 'SELECT COUNT(*) FROM message WHERE case_id IN (SELECT case_id FROM campaign_holdout)')\" = 0 ]"

exit $fail
