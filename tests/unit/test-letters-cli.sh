#!/bin/sh
# dunning-desk-cli interest and letters (issue 16): the calculation period by period as text and
# JSON, the office's change to a rate table taking effect, bad input refused; demand letters in
# Polish, Russian and English as one PDF read back with pdftotext (parties, tax ids, amounts,
# interest), the JSON calculation, the posting list, the letters recorded on the timeline.
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

echo "1..24"
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

# read in Polish or Russian, the amounts and rates are written their way
LANGUAGE=pl "$CLI" interest --database "$db" --amount 10000 --due 2024-01-31 --to 2024-03-31 \
  --kind statutory > "$tmp/pl.txt"
LANGUAGE=ru "$CLI" interest --database "$db" --amount 100000 --due 2023-12-20 --to 2024-01-10 \
  --kind ru-395 > "$tmp/ru-local.txt"
check "pl/ru: 10 000,00 zł × 11,25 %, 100 000,00 ₽" \
  "grep -q '10.000,00.zł × 11,25 % × 60/365 = 184,93.zł' $tmp/pl.txt && grep -q '100.000,00.₽ × 16,00 %' $tmp/ru-local.txt && grep -q '919,35.₽' $tmp/ru-local.txt"

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

# --- letters ---
ldb="$tmp/letters.db"
"$CLI" stats --database "$ldb" > /dev/null
sqlite3 "$ldb" "
INSERT INTO creditor (id, name, tax_id, created_at) VALUES (1, 'Own receivables', NULL, 'x'),
 (2, 'Hurtownia Kowalski Sp. z o.o.', '5213017228', 'x');
INSERT INTO debtor (id, dedup_key, name, tax_id, tax_id_kind, language, address, created_at,
 updated_at) VALUES
 (1, 'k1', 'Łukasz Żółkiewski', '5260250274', 'nip', 'pl', 'ul. Długa 1' || char(10) || '80-831 Gdańsk', 'x', 'x'),
 (2, 'k2', 'ООО Ромашка', '7707083893', 'inn-legal', 'ru', 'ул. Тверская, д. 7' || char(10) || '125009 Москва', 'x', 'x'),
 (3, 'k3', 'John Smith Ltd', NULL, NULL, 'en', '1 High Street' || char(10) || 'London SW1A 1AA', 'x', 'x');
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name, status,
 created_at, updated_at) VALUES
 (1, 1, 2, 1000000, 'PLN', 'Łukasz Żółkiewski', 'new', 'x', 'x'),
 (2, 2, 1, 10000000, 'RUB', 'ООО Ромашка', 'new', 'x', 'x'),
 (3, 3, 1, 50000, 'EUR', 'John Smith Ltd', 'no-answer', 'x', 'x'),
 (4, 1, 1, 20000, 'PLN', 'Łukasz Żółkiewski', 'new', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at, updated_at)
 VALUES (1, 'FV/2024/01/0001', '2024-01-31', 1000000, 'PLN', 'x', 'x'),
 (2, 'СЧ-123/45', '2023-12-20', 10000000, 'RUB', 'x', 'x'),
 (3, 'INV-77', '2024-02-28', 50000, 'EUR', 'x', 'x'),
 (4, 'FV/2024/02/0002', '2024-03-15', 20000, 'PLN', 'x', 'x');
INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at, state)
 VALUES (1, 400000, 'PLN', '2024-02-29', 'manual', 'x', 'matched');"

# the office's own data, as the Preferences store it
mkdir -p "$tmp/cfg/glib-2.0/settings"
cat > "$tmp/cfg/glib-2.0/settings/keyfile" <<'KEYS'
[io/github/dunningdesk/DunningDesk]
office-name='Biuro Windykacji Lex Sp. z o.o.'
office-address='ul. Prosta 20\n00-850 Warszawa'
office-tax-id='1234563218'
office-bank-account='PL61 1090 1014 0000 0712 1981 2874'
KEYS
letters () {
  GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$tmp/cfg" "$CLI" letters --database "$ldb" "$@"
}

# a new office that has not entered its name yet: no letter with a blank sender and creditor
"$CLI" letters --database "$ldb" --case 2 --pdf "$tmp/blank.pdf" --date 2024-03-31 \
  > /dev/null 2> "$tmp/blank.err"
check "no office name: refused with where to enter it, no PDF, nothing recorded" \
  "[ $? -eq 1 ] && grep -q 'Preferences › General › Office' $tmp/blank.err && [ ! -e $tmp/blank.pdf ] && [ \"\$(sqlite3 $ldb 'SELECT COUNT(*) FROM letter')\" = 0 ]"

letters --case 1 --pdf "$tmp/pl.pdf" --date 2024-03-31 --json > "$tmp/pl-letter.json"
check "letters --case: exits 0 with one letter" "[ $? -eq 0 ] && [ \"\$(json $tmp/pl-letter.json \"len(d['letters'])\")\" = 1 ]"
pdftotext "$tmp/pl.pdf" - | tr '\n' ' ' > "$tmp/pl.txt"  # lines joined: words wrap
# commercial interest (a business debtor): 10,000.00 × 15.75 % × 29/365 = 125.14, then after
# 4,000.00 paid on 29 Feb 6,000.00 × 15.75 % × 31/365 = 80.26: 205.40; compensation 70 EUR ×
# 4.3480 = 304.36; total 6,000.00 + 205.40 + 304.36 = 6,509.76
check "pl: wezwanie with both parties and their NIPs" "grep -q 'WEZWANIE DO ZAPŁATY' $tmp/pl.txt && grep -q 'Hurtownia Kowalski Sp. z o.o.' $tmp/pl.txt && grep -q 'NIP: 5213017228' $tmp/pl.txt && grep -q 'Łukasz Żółkiewski' $tmp/pl.txt && grep -q 'NIP: 5260250274' $tmp/pl.txt && grep -q 'Biuro Windykacji Lex' $tmp/pl.txt"
check "pl: amounts, interest, compensation, total, deadline, account" "grep -q '205,40' $tmp/pl.txt && grep -q '304,36' $tmp/pl.txt && grep -q '6.509,76' $tmp/pl.txt && grep -q '07.04.2024' $tmp/pl.txt && grep -q 'PL61 1090 1014 0000 0712 1981 2874' $tmp/pl.txt && grep -q '125,14' $tmp/pl.txt && grep -q '80,26' $tmp/pl.txt"
check "pl: JSON carries the calculation" "[ \"\$(json $tmp/pl-letter.json \"d['letters'][0]['kind'], d['letters'][0]['total'], [(p['days'], p['interest']) for p in d['letters'][0]['invoices'][0]['interest']['periods']]\")\" = 'commercial 650976 [(29, 12514), (31, 8026)]' ]"

# the address field of DIN 5008 form B (20 mm from the left, 45 mm from the top, 85 × 45 mm, in
# points at 72 dpi) holds the addressee: it shows through the window of a DL envelope
pdftotext -r 72 -x 57 -y 128 -W 241 -H 127 -f 1 -l 1 "$tmp/pl.pdf" - | tr '\n' ' ' > "$tmp/window.txt"
check "pl: the addressee is inside the envelope's window" "grep -q 'Łukasz Żółkiewski ul. Długa 1 80-831 Gdańsk' $tmp/window.txt && ! grep -q 'WEZWANIE' $tmp/window.txt"

letters --case 2 --pdf "$tmp/ru.pdf" --date 2024-03-31 --days 7 --json > "$tmp/ru-letter.json"
pdftotext "$tmp/ru.pdf" - | tr '\n' ' ' > "$tmp/ru.txt"  # lines joined: words wrap
# art. 395: 16 % — 11 d / 365 = 482.19 and 91 d / 366 = 3,978.14: 4,460.33
check "ru: претензия with the parties and ИНН" "grep -q 'ПРЕТЕНЗИЯ' $tmp/ru.txt && grep -q 'ООО Ромашка' $tmp/ru.txt && grep -q 'ИНН: 7707083893' $tmp/ru.txt && grep -q 'Biuro Windykacji Lex' $tmp/ru.txt"
check "ru: interest, total and the 30-day pre-trial deadline" "grep -q '4.460,33' $tmp/ru.txt && grep -q '104.460,33' $tmp/ru.txt && grep -q '30.04.2024' $tmp/ru.txt && grep -q 'АПК РФ' $tmp/ru.txt && [ \"\$(json $tmp/ru-letter.json \"d['letters'][0]['days'], d['letters'][0]['interest']\")\" = '30 446033' ]"

letters --status no-answer --pdf "$tmp/en.pdf" --date 2024-03-31 --posting-list "$tmp/post.csv" > /dev/null
pdftotext "$tmp/en.pdf" - | tr '\n' ' ' > "$tmp/en.txt"  # lines joined: words wrap
# statutory interest (no tax id: not a business) on 500.00 EUR from 29 Feb to 31 Mar 2024:
# 32 d × 11.25 % / 365 = 4.93; total 504.93
check "en: final demand with the debtor, amounts and interest" "grep -q 'FINAL DEMAND FOR PAYMENT' $tmp/en.txt && grep -q 'John Smith Ltd' $tmp/en.txt && grep -q '504.93' $tmp/en.txt && grep -q '4.93' $tmp/en.txt && grep -q '7 April 2024' $tmp/en.txt"
check "posting list: one row per letter with address and total" "[ \"\$(wc -l < $tmp/post.csv)\" = 2 ] && grep -q '^1,John Smith Ltd,1 High Street London SW1A 1AA,2024-03-31/3,3,en,1,504.93,EUR' $tmp/post.csv"

# interest of the three letters recorded: 205.40 + 4,460.33 + 4.93
check "letters recorded with their calculation and PDF, and on the timeline" "[ \"\$(sqlite3 $ldb \"SELECT COUNT(*), SUM(interest_minor) FROM letter WHERE pdf_path LIKE '%.pdf' AND interest LIKE '%periods%'\")\" = '3|467066' ] && [ \"\$(sqlite3 $ldb \"SELECT COUNT(*) FROM activity WHERE kind = 'letter'\")\" = 3 ]"

letters --status new --per-debtor --pdf "$tmp/both.pdf" --date 2024-03-31 --dry-run --json > "$tmp/both.json"
check "per debtor: one letter covering both cases, nothing recorded on --dry-run" "[ \"\$(json $tmp/both.json \"len(d['letters']), d['letters'][0]['cases'], len(d['letters'][0]['invoices']), d['letters'][0]['creditor']['name']\")\" = '2 [1, 4] 2 Biuro Windykacji Lex Sp. z o.o.' ] && [ \"\$(sqlite3 $ldb 'SELECT COUNT(*) FROM letter')\" = 3 ]"

letters --case 99 --pdf "$tmp/none.pdf" > /dev/null 2>&1
check "an unknown case is refused" "[ $? -eq 1 ]"

# a debtor whose name and address open like spreadsheet formulas: the posting list keeps them
# text (an apostrophe in front), so opening it in a spreadsheet runs nothing
sqlite3 "$ldb" "
INSERT INTO debtor (id, dedup_key, name, language, address, created_at, updated_at) VALUES
 (5, 'k5', '=HYPERLINK(\"http://evil.example\",\"Pay\")', 'en', '+48 600 100 200', 'x', 'x');
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name, status,
 created_at, updated_at) VALUES (5, 5, 1, 10000, 'EUR', 'x', 'call-later', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at, updated_at)
 VALUES (5, '@INV-5', '2024-02-28', 10000, 'EUR', 'x', 'x');"
letters --case 5 --pdf "$tmp/f.pdf" --date 2024-03-31 --dry-run --posting-list "$tmp/f.csv" > /dev/null
check "posting list: formula-like name and address stay text" "grep -q '^1,\"'\''=HYPERLINK(\"\"http://evil.example\"\",\"\"Pay\"\")\",'\''+48 600 100 200,' $tmp/f.csv"

# read in Polish, the posting list is for a Polish spreadsheet: a byte order mark, ";" between
# the fields and a decimal comma
GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$tmp/cfg" LANGUAGE=pl "$CLI" letters --database "$ldb" \
  --case 3 --pdf "$tmp/plp.pdf" --date 2024-03-31 --dry-run --posting-list "$tmp/plp.csv" > /dev/null
check "posting list in Polish: BOM, semicolons, decimal comma" \
  "[ \"\$(head -c 3 $tmp/plp.csv | od -An -tx1 | tr -d ' ')\" = efbbbf ] && grep -q 'no;recipient;address;' $tmp/plp.csv && grep -q '^1;John Smith Ltd;1 High Street London SW1A 1AA;[^;]*;3;en;1;504,93;EUR' $tmp/plp.csv"

# a претензия to a private person (no INN): the arbitrazh court and the APK are for
# organisations; the letter names a court without them
sqlite3 "$ldb" "
INSERT INTO debtor (id, dedup_key, name, language, address, created_at, updated_at) VALUES
 (6, 'k6', 'Иванов Иван Иванович', 'ru', 'ул. Ленина, д. 1, кв. 2' || char(10) || '190000 Санкт-Петербург', 'x', 'x');
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name, status,
 created_at, updated_at) VALUES (6, 6, 1, 5000000, 'RUB', 'x', 'call-later', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at, updated_at)
 VALUES (6, 'СЧ-6', '2024-01-31', 5000000, 'RUB', 'x', 'x');"
letters --case 6 --pdf "$tmp/ru-person.pdf" --date 2024-03-31 --dry-run > /dev/null
pdftotext "$tmp/ru-person.pdf" - | tr '\n' ' ' > "$tmp/ru-person.txt"
check "ru, a private person: sued in a court, no arbitrazh court nor APK" \
  "grep -q 'ПРЕТЕНЗИЯ' $tmp/ru-person.txt && grep -q 'обратится в суд' $tmp/ru-person.txt && ! grep -q 'арбитражный' $tmp/ru-person.txt && ! grep -q 'АПК' $tmp/ru-person.txt"

# a case paid in full: no letter and no empty PDF to print by mistake
sqlite3 "$ldb" "
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name, status,
 created_at, updated_at) VALUES (7, 6, 2, 0, 'RUB', 'x', 'call-later', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at, updated_at)
 VALUES (7, 'СЧ-7', '2024-01-31', 30000, 'RUB', 'x', 'x');
INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at, state)
 VALUES (7, 30000, 'RUB', '2024-01-20', 'manual', 'x', 'matched');"
letters --case 7 --pdf "$tmp/paid.pdf" --date 2024-03-31 > "$tmp/paid.out"
check "a case paid in full: says so, writes no PDF" \
  "[ $? -eq 0 ] && grep -q 'Nothing is owed' $tmp/paid.out && [ ! -e $tmp/paid.pdf ]"

exit $fail
