#!/bin/sh
# The ladder's demand-letter step makes the letters (issue 16): `ladder run --letters FOLDER`
# writes the day's letters as one batch — a PDF per letter, one combined PDF to print, the
# posting list — records them on the cases (letter rows with their PDF, a timeline activity),
# reads back with pdftotext; the same day again writes nothing twice; letters lost in a crash
# (their rows gone) are made again by `ladder letters`.
set -u
CLI="${DD_CLI:?}"
tmp="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
n=0
fail=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
nok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
json () { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
q () { sqlite3 "$db" "$1"; }

echo "1..16"
# the office's name and address, as the Preferences store them (the letters' sender)
export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$tmp/cfg"
mkdir -p "$tmp/cfg/glib-2.0/settings"
printf "[io/github/dunningdesk/DunningDesk]\noffice-name='Biuro Windykacji Lex'\noffice-address='ul. Prosta 20'\n" \
  > "$tmp/cfg/glib-2.0/settings/keyfile"
db="$tmp/office.db"
"$CLI" stats --database "$db" > /dev/null 2>> "$tmp/err"
# Olga's invoice fell due 2026-11-27: +14 (the demand letter) on 2026-12-11; Anna's on
# 2026-12-01: +10 (a consultant call) that day; Piotr's two cases fell due 2026-11-27 too: one
# letter for both
sqlite3 "$db" "
INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Sp. z o.o.', 'x'), (2, 'Beta S.A.', 'x');
INSERT INTO debtor (id, dedup_key, name, language, address, created_at, updated_at) VALUES
 (1, 'k1', 'Olga Ivanova', 'ru', 'ул. Тверская, д. 7', 'x', 'x'),
 (2, 'k2', 'Anna Nowak', 'pl', 'ul. Długa 1', 'x', 'x'),
 (3, 'k3', 'Piotr Zieliński', 'pl', 'ul. Krótka 2' || char(10) || '00-001 Warszawa', 'x', 'x');
INSERT INTO phone (debtor_id, e164, valid, created_at) VALUES
 (1, '+79161000003', 1, 'x'), (2, '+48601000002', 1, 'x'), (3, '+48601000003', 1, 'x');
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,
 created_at, updated_at) VALUES
 (1, 1, 1, 700000, 'RUB', '2026-11-27', 'x', 'x'), (2, 2, 1, 5000, 'PLN', '2026-12-01', 'x', 'x'),
 (3, 3, 1, 123456, 'PLN', '2026-11-27', 'x', 'x'), (4, 3, 2, 10000, 'PLN', '2026-11-27', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,
 updated_at) VALUES (1, 'СЧ/1', '2026-11-27', 700000, 'RUB', 'x', 'x'),
 (2, 'FV/2', '2026-12-01', 5000, 'PLN', 'x', 'x'), (3, 'FV/3', '2026-11-27', 123456, 'PLN', 'x', 'x'),
 (4, 'FV/4', '2026-11-27', 10000, 'PLN', 'x', 'x');"

letters="$tmp/letters"
"$CLI" ladder run --database "$db" --date 2026-12-11 --no-contact-policy --letters "$letters" \
  --json > "$tmp/run.json" 2>> "$tmp/err"
check "the run writes two letters (Olga; Piotr's two cases in one)" \
  "[ \"\$(json $tmp/run.json \"d['done']['demand-letter'], d['letters']\")\" = '2 2' ]"
day="$letters/2026-12-11"
check "one combined PDF to print and the posting list" \
  "[ -s $day/letters-2026-12-11.pdf ] && [ -s $day/posting-list-2026-12-11.csv ]"
check "one PDF per letter" "[ \$(ls $day/letter-*.pdf | wc -l) -eq 2 ]"
pdftotext "$day/letters-2026-12-11.pdf" "$tmp/all.txt"
check "the combined PDF holds both letters and their amounts" \
  "grep -q 'Olga Ivanova' $tmp/all.txt && grep -q 'Piotr Zieliński' $tmp/all.txt && grep -q '334,56' $tmp/all.txt"
check "the posting list names both" \
  "grep -q 'Olga Ivanova' $day/posting-list-2026-12-11.csv && grep -q 'Piotr Zieliński' $day/posting-list-2026-12-11.csv"
check "each case has its letter with its own PDF" \
  "[ \"\$(q \"SELECT COUNT(*), COUNT(DISTINCT pdf_path) FROM letter WHERE letter_date = '2026-12-11'\")\" = '3|2' ]"
piotr_pdf="$(q "SELECT pdf_path FROM letter WHERE case_id = 3")"
pdftotext "$piotr_pdf" "$tmp/piotr.txt"
check "Piotr's own PDF is his letter only" \
  "grep -q 'Piotr Zieliński' $tmp/piotr.txt && ! grep -q 'Olga' $tmp/piotr.txt && grep -q 'FV/4' $tmp/piotr.txt"
check "the letters are on the timelines" \
  "[ \"\$(q \"SELECT COUNT(*) FROM activity WHERE kind = 'letter'\")\" = 3 ]"
check "Anna's step is a consultant call, no letter" \
  "[ \"\$(q \"SELECT COUNT(*) FROM letter WHERE case_id = 2\")\" = 0 ]"

"$CLI" ladder run --database "$db" --date 2026-12-11 --no-contact-policy --letters "$letters" \
  --json > "$tmp/run2.json" 2>> "$tmp/err"
check "the same day again writes no letter twice" \
  "[ \"\$(json $tmp/run2.json \"d['letters']\")\" = 0 ] && [ \"\$(q 'SELECT COUNT(*) FROM letter')\" = 3 ]"

# a crash after the step was done but before the letters were recorded: made again
q "DELETE FROM letter WHERE case_id = 1; DELETE FROM activity WHERE kind = 'letter' AND case_id = 1"
"$CLI" ladder letters --database "$db" --date 2026-12-11 --folder "$letters" --json > "$tmp/again.json" \
  2>> "$tmp/err"
check "ladder letters makes the missing letter again" \
  "[ \"\$(json $tmp/again.json \"d['letters'], d['cases'], len(d['pdfs'])\")\" = '1 1 1' ]"
check "and records it" "[ \"\$(q 'SELECT COUNT(*) FROM letter WHERE case_id = 1')\" = 1 ]"

# paid before the letter was made again: no demand letter for a debt that is gone
q "DELETE FROM letter WHERE case_id = 1; DELETE FROM activity WHERE kind = 'letter' AND case_id = 1;
 UPDATE debt_case SET balance_minor = 0 WHERE id = 1"
"$CLI" ladder letters --database "$db" --date 2026-12-11 --folder "$letters" --json > "$tmp/paid.json" \
  2>> "$tmp/err"
check "no letter for a case paid since its step" \
  "[ \"\$(json $tmp/paid.json \"d['letters']\")\" = 0 ] && [ \"\$(q 'SELECT COUNT(*) FROM letter WHERE case_id = 1')\" = 0 ]"
# a run killed after the day's steps (the day recorded) but before its letters: the next
# day's run makes them, in the folder of their day
q "UPDATE debt_case SET balance_minor = 5000 WHERE id = 1;
 DELETE FROM letter WHERE case_id = 1; DELETE FROM activity WHERE kind = 'letter' AND case_id = 1"
rm -rf "$letters/2026-12-11"
"$CLI" ladder run --database "$db" --date 2026-12-12 --no-contact-policy --letters "$letters" \
  --json > "$tmp/next.json" 2>> "$tmp/err"
check "the next day's run makes the letter a killed run left out" \
  "[ \"\$(q 'SELECT COUNT(*) FROM letter WHERE case_id = 1 AND letter_date = \"2026-12-11\"')\" = 1 ] && [ \$(ls $letters/2026-12-11/letter-*.pdf | wc -l) -eq 1 ]"
"$CLI" ladder letters --database "$db" --date 2026-12-11 > /dev/null 2>&1
check "without --folder it is refused" "[ $? -eq 2 ]"

# an office that has not entered its name: the missing letter is not made with a blank sender
q "DELETE FROM letter WHERE case_id = 1; DELETE FROM activity WHERE kind = 'letter' AND case_id = 1"
XDG_CONFIG_HOME="$tmp/no-cfg" "$CLI" ladder letters --database "$db" --date 2026-12-11 \
  --folder "$letters" > /dev/null 2> "$tmp/blank.err"
check "no office name: refused with where to enter it, nothing recorded" \
  "[ $? -ne 0 ] && grep -q 'Preferences › General › Office' $tmp/blank.err && [ \"\$(q 'SELECT COUNT(*) FROM letter WHERE case_id = 1')\" = 0 ]"
[ $fail -eq 0 ] || cat "$tmp/err" >&2
exit $fail
