#!/bin/sh
# dunning-desk-cli payments: import MT940 (Windows-1250) and 1CClientBankExchange (Windows-1251)
# with --json and --dry-run, a statement imported twice, bad files refused with the line and
# nothing saved, the unmatched list, assign / unassign, and stats --json's outstanding totals.
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
count () { sqlite3 "$db" "$1"; }

echo "1..28"
db="$tmp/office.db"
"$CLI" stats --database "$db" > /dev/null
sqlite3 "$db" "
INSERT INTO creditor (id, name, created_at) VALUES (1, 'Own receivables', 'x');
INSERT INTO debtor (id, dedup_key, name, tax_id, created_at, updated_at) VALUES
 (1, 'k1', 'Łukasz Żółkiewski', '5260250274', 'x', 'x'), (2, 'k2', 'Anna Nowak', NULL, 'x', 'x'),
 (3, 'k3', 'Иван Петров', '7707083893', 'x', 'x'), (4, 'k4', 'Jan Kowalski-Nowak', NULL, 'x', 'x');
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name, created_at,
 updated_at) VALUES (1, 1, 1, 150000, 'PLN', 'Łukasz Żółkiewski', 'x', 'x'),
 (2, 2, 1, 20000, 'PLN', 'Anna Nowak', 'x', 'x'), (3, 3, 1, 990000, 'RUB', 'Иван Петров', 'x', 'x'),
 (4, 4, 1, 100, 'PLN', 'Jan Kowalski-Nowak', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, amount_minor, currency, created_at, updated_at) VALUES
 (1, 'FV/2026/01/0001', 100000, 'PLN', 'x', 'x'), (1, 'FV/2026/03/0007', 50000, 'PLN', 'x', 'x'),
 (2, 'E-77-2026', 20000, 'PLN', 'x', 'x'), (3, 'СЧ-123/45', 990000, 'RUB', 'x', 'x'),
 (4, 'X-1', 100, 'PLN', 'x', 'x');"

printf '%s\r\n' \
  '{1:F01PKOPPLPWAXXX0000000000}{2:O9401200261120PKOPPLPWAXXX00000000002611201200N}{4:' \
  ':20:ST261120CYC/1' \
  ':25:/PL61109010140000071219812874' \
  ':28C:00231/1' \
  ':60F:C261119PLN000000012345,67' \
  ':61:2611201120C000000001000,00NTRFNONREF//CEN2611200123' \
  ':86:020~00TRANSFER~20Zapłata za FV/2026/01/0~21001 dziękuję~22~23~24~25' \
  '~3010901014~310000071219812874~32Łukasz Żółkiewski~33~38PL6110901014' \
  '0000071219812874~60ul. Długa 1 Gdańsk~63REF26112000123' \
  ':61:2611201120D000000000200,00NTRFNONREF//CEN2611200124' \
  ':86:073~00PRZELEW WYCHODZĄCY~20Opłata za prowadzenie rachunku' \
  ':61:2611211121CN000000000050,00NTRF12345//CEN2611210001' \
  ':86:020~00TRANSFER~20Rata E-77-2026~27Anna Nowak~28~29ul. Leśna 5' \
  ':61:2611211121C000000000033,00N051NONREF' \
  ':86:Wpłata gotówkowa Jan Kowalski-Nowak' \
  'za fakturę X-1' \
  ':62F:C261121PLN000000013228,67' \
  '-}' | iconv -f UTF-8 -t CP1250 > "$tmp/statement.sta"

"$CLI" payments import "$tmp/statement.sta" --database "$db" --dry-run --json > "$tmp/dry.json"
check "dry run: exits 0 and reports the matches" "[ $? -eq 0 ] && [ \"\$(json $tmp/dry.json \"d['matched']['invoice'], d['dry_run']\")\" = '3 True' ]"
check "dry run: nothing saved" "[ \"\$(count 'SELECT COUNT(*) FROM payment')\" = 0 ] && [ \"\$(count 'SELECT balance_minor FROM debt_case WHERE id = 1')\" = 150000 ]"

"$CLI" payments import "$tmp/statement.sta" --database "$db" --json > "$tmp/out.json"
check "import: exits 0" "[ $? -eq 0 ]"
check "import: format and encoding detected" "[ \"\$(json $tmp/out.json \"d['format'], d['encoding']\")\" = 'mt940 WINDOWS-1250' ]"
check "import: lines read, outgoing skipped" "[ \"\$(json $tmp/out.json \"d['lines']['read'], d['lines']['outgoing'], d['lines']['repeats']\")\" = '3 1 0' ]"
check "import: matched and how" "[ \"\$(json $tmp/out.json \"d['matched']['total'], d['matched']['invoice'], d['unmatched']\")\" = '3 3 0' ]"
check "import: partial, over, closed" "[ \"\$(json $tmp/out.json \"d['partial'], d['over'], d['cases_closed']\")\" = '2 1 1' ]"
check "import: amounts per currency" "[ \"\$(json $tmp/out.json \"d['amounts']['read']['PLN'], d['amounts']['matched']['PLN']\")\" = '108300 108300' ]"
check "import: balances lowered" "[ \"\$(count 'SELECT group_concat(b) FROM (SELECT balance_minor AS b FROM debt_case ORDER BY id)')\" = '50000,15000,990000,-3200' ]"

"$CLI" payments import "$tmp/statement.sta" --database "$db" --json > "$tmp/again.json"
check "the same statement twice: all repeats, nothing added" "[ \"\$(json $tmp/again.json \"d['lines']['repeats'], d['matched']['total']\")\" = '3 0' ] && [ \"\$(count 'SELECT COUNT(*) FROM payment')\" = 3 ]"

head -c 700 "$tmp/statement.sta" > "$tmp/cut.sta"
"$CLI" payments import "$tmp/cut.sta" --database "$tmp/cut.db" > "$tmp/out" 2> "$tmp/err"
check "truncated MT940: exit 1, the line named, nothing saved" "[ $? -eq 1 ] && grep -q 'closing balance (:62F:)' $tmp/err && grep -q 'Line ' $tmp/err && [ \"\$(sqlite3 $tmp/cut.db 'SELECT COUNT(*) FROM payment' 2>/dev/null || echo 0)\" = 0 ]"
sed 's/CN000000000050,00NTRF/CN0000000000S0,00NTRF/' "$tmp/statement.sta" > "$tmp/letters.sta"
"$CLI" payments import "$tmp/letters.sta" --database "$tmp/letters.db" > "$tmp/out" 2> "$tmp/err"
check "amount with letters: exit 1 naming line 12" "[ $? -eq 1 ] && grep -q 'Line 12: the amount' $tmp/err"
"$CLI" payments import "$tmp/statement.sta" --encoding UTF-8 --database "$tmp/enc.db" > "$tmp/out" 2> "$tmp/err"
check "wrong encoding: exit 1 naming line 7" "[ $? -eq 1 ] && grep -q 'Line 7: the text is not valid UTF-8' $tmp/err"

printf '%s\r\n' '1CClientBankExchange' 'ВерсияФормата=1.03' 'Кодировка=Windows' \
  'РасчСчет=40702810938000012345' \
  'СекцияДокумент=Платежное поручение' 'Номер=512' 'Дата=20.11.2026' 'Сумма=4500.00' \
  'ПлательщикСчет=40817810099910004312' 'Плательщик=Иван Петров' 'ПлательщикИНН=7707083893' \
  'ПолучательСчет=40702810938000012345' 'НазначениеПлатежа=Оплата по счёту СЧ-123/45' \
  'ДатаПоступило=21.11.2026' 'КонецДокумента' \
  'СекцияДокумент=Банковский ордер' 'Номер=9' 'Дата=21.11.2026' 'Сумма=1200' \
  'ПлательщикСчет=40817810500000000777' 'Плательщик=Сидоров Пётр Ильич' \
  'ПолучательСчет=40702810938000012345' 'НазначениеПлатежа=Возврат долга' \
  'ДатаПоступило=21.11.2026' 'КонецДокумента' 'КонецФайла' | iconv -f UTF-8 -t CP1251 > "$tmp/kl_to_1c.txt"
"$CLI" payments import "$tmp/kl_to_1c.txt" --database "$db" > "$tmp/human.out"
check "1C import (human): matched and unmatched told" "[ $? -eq 0 ] && grep -q 'Matched: 1' $tmp/human.out && grep -q 'Unmatched, waiting to be assigned: 1' $tmp/human.out"

"$CLI" payments list --unmatched --database "$db" --json > "$tmp/list.json"
check "list --unmatched: the 1C payment nobody matched" "[ \"\$(json $tmp/list.json \"len(d), d[0]['payer_name'], d[0]['amount_minor']\")\" = '1 Сидоров Пётр Ильич 120000' ]"
pid="$(json $tmp/list.json "d[0]['id']")"
"$CLI" payments assign "$pid" 3 --database "$db"
check "assign: exit 0, balance lowered" "[ $? -eq 0 ] && [ \"\$(count 'SELECT balance_minor FROM debt_case WHERE id = 3')\" = 420000 ]"
"$CLI" payments list --unmatched --database "$db" --json > "$tmp/list2.json"
check "assigned: the unmatched list is empty" "[ \"\$(json $tmp/list2.json 'len(d)')\" = 0 ]"
"$CLI" payments assign "$pid" 1 --database "$db" > "$tmp/out" 2> "$tmp/err"
check "assign twice: refused" "[ $? -eq 1 ] && grep -q 'unassign it first' $tmp/err"
"$CLI" payments unassign "$pid" --database "$db"
check "unassign: balance back, audited" "[ $? -eq 0 ] && [ \"\$(count 'SELECT balance_minor FROM debt_case WHERE id = 3')\" = 540000 ] && [ \"\$(count \"SELECT COUNT(*) FROM audit_log WHERE action = 'payment.unassign'\")\" = 1 ]"

"$CLI" stats --database "$db" --json > "$tmp/stats.json"
check "stats --json: outstanding per currency and open cases" "[ \"\$(json $tmp/stats.json \"d['outstanding']['PLN'], d['outstanding']['RUB'], d['open_cases']\")\" = '65000 540000 3' ]"

# A payments list saved as Excel's "Unicode Text" (UTF-16LE, tabs, CRLF): read and matched;
# cut off inside a character: the line named, nothing saved.
printf 'Data\tKwota\tWaluta\tTytuł\tNadawca\tRachunek nadawcy\tNIP\tReferencja\r\n20.11.2026\t"1 000,00"\tPLN\t"Zapłata ""FV/2026/01/0001"""\tŁukasz Żółkiewski\t\t5260250274\tU16-1\r\n21.11.2026\t50,00\tPLN\tRata\tJan Kowalski-Nowak\t\t\tU16-2\r\n' > "$tmp/pay8.txt"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$tmp/pay8.txt"; } > "$tmp/pay16.txt"
before="$(count 'SELECT COUNT(*) FROM payment')"
"$CLI" payments import "$tmp/pay16.txt" --format csv --dry-run --json --database "$db" > "$tmp/pay16.json"
check "payments CSV in UTF-16LE: read, --json says UTF-16LE" "[ \$? -eq 0 ] && [ \"\$(json $tmp/pay16.json \"d['encoding'], d['lines']['read'], d['matched']['total']\")\" = 'UTF-16LE 2 1' ] && [ \"\$(count 'SELECT COUNT(*) FROM payment')\" = $before ]"
head -c -3 "$tmp/pay16.txt" > "$tmp/pay16-cut.txt"
"$CLI" payments import "$tmp/pay16-cut.txt" --format csv --database "$db" > "$tmp/out" 2> "$tmp/err"
check "payments CSV in UTF-16 cut off: the line named, nothing saved" "[ \$? -eq 1 ] && grep -qF 'Line 3: the file ends in the middle of a character' $tmp/err && [ \"\$(count 'SELECT COUNT(*) FROM payment')\" = $before ]"

# Statements nobody here wrote, in their banks' real shapes.
# Bank Millennium's CSV (Windows-1250): money in "Obciążenia" / "Uznania" columns.
printf '%s\r\n' 'Numer rachunku/karty,Data transakcji,Data rozliczenia,Rodzaj transakcji,Na konto/Z konta,Odbiorca/Zleceniodawca,Opis,Obciążenia,Uznania,Saldo,Waluta' \
  'PL11116022020000000012345678,2026-11-21,2026-11-21,PRZELEW PRZYCHODZĄCY,PL61109010140000071219812874,Łukasz Żółkiewski,FV/2026/03/0007,,500.00,10500.00,PLN' \
  'PL11116022020000000012345678,2026-11-20,2026-11-20,PRZELEW WYCHODZĄCY,PL22222222220000000000000000,ZUS,Składka,-800.00,,10000.00,PLN' \
  | iconv -f UTF-8 -t CP1250 > "$tmp/millennium.csv"
"$CLI" payments import "$tmp/millennium.csv" --format csv --dry-run --json --database "$db" > "$tmp/mill.json"
check "CSV with credit and debit columns: the debit row is outgoing, the credit matched" "[ \$? -eq 0 ] && [ \"\$(json $tmp/mill.json \"d['lines']['read'], d['lines']['outgoing'], d['matched']['invoice'], d['amounts']['read']['PLN']\")\" = '1 1 1 50000' ]"
# mBank's CSV: the bank's address, the period and totals before the table
printf '%s\n' 'mBank S.A. Bankowość Detaliczna;' 'Skrytka Pocztowa 2108;' '' '#Za okres:;' '01.11.2026;30.11.2026;' '' \
  '#Waluta;#Wpływy;#Wydatki;' 'PLN;700,00;-50,00;' '' '#Data operacji;#Opis operacji;#Rachunek;#Kategoria;#Kwota;' \
  '2026-11-20;"ANNA NOWAK RATA E-77-2026";"eKonto 1234 ... 5678";"Wpływy - inne";200,00 PLN;' \
  '2026-11-21;"ZAKUP PRZY UŻYCIU KARTY";"eKonto 1234 ... 5678";"Jedzenie";-50,00 PLN;' \
  | iconv -f UTF-8 -t CP1250 > "$tmp/mbank.csv"
"$CLI" payments import "$tmp/mbank.csv" --format csv --dry-run --json --database "$db" > "$tmp/mbank.json"
check "mBank CSV after its preamble: read and matched" "[ \$? -eq 0 ] && [ \"\$(json $tmp/mbank.json \"d['lines']['read'], d['lines']['outgoing'], d['matched']['invoice']\")\" = '1 1 1' ]"
# PKO BP's CSV: the description over unnamed columns, each piece labelled
printf '%s\r\n' '"Data operacji","Data waluty","Typ transakcji","Kwota","Waluta","Saldo po transakcji","Opis transakcji","","","",""' \
  '"2026-11-21","2026-11-21","Przelew na konto","+200.00","PLN","+10200.00","Rachunek nadawcy: 61 1090 1014 0000 0712 1981 2874","Nazwa nadawcy: ANNA NOWAK","Adres nadawcy: UL. KWIATOWA 1 WARSZAWA","Tytuł: RATA E-77-2026",""' \
  '"2026-11-20","2026-11-20","Płatność kartą","-50.00","PLN","+10000.00","Tytuł: 000498849 74230786324000000123456","Lokalizacja: Adres: BIEDRONKA","","",""' \
  | iconv -f UTF-8 -t CP1250 > "$tmp/pko.csv"
"$CLI" payments import "$tmp/pko.csv" --dry-run --json --database "$db" > "$tmp/pko.json"
check "PKO BP CSV: the labelled title matched, the card payment outgoing" "[ \$? -eq 0 ] && [ \"\$(json $tmp/pko.json \"d['format'], d['lines']['read'], d['lines']['outgoing'], d['matched']['invoice']\")\" = 'csv 1 1 1' ]"
# Sberbank's 1C in CP866 (Кодировка=DOS): a person pays through the bank, "ФИО//address//"
printf '%s\r\n' '1CClientBankExchange' 'ВерсияФормата=1.03' 'Кодировка=DOS' 'РасчСчет=40702810938000012345' \
  'СекцияДокумент=Банковский ордер' 'Номер=3310' 'Дата=21.11.2026' 'Сумма=5400.00' \
  'ПлательщикСчет=30232810838000000001' 'Плательщик1=ПЕТРОВ ИВАН//Г. МОСКВА, УЛ. ЛЕНИНА, Д. 1//' \
  'ПолучательСчет=40702810938000012345' 'ДатаПоступило=22.11.2026' 'НазначениеПлатежа=Погашение долга' \
  'КонецДокумента' 'КонецФайла' | iconv -f UTF-8 -t CP866 > "$tmp/sber866.txt"
"$CLI" payments import "$tmp/sber866.txt" --dry-run --json --database "$db" > "$tmp/sber.json"
check "1C in CP866, a person's name with the address: matched by name and amount" "[ \$? -eq 0 ] && [ \"\$(json $tmp/sber.json \"d['encoding'], d['matched']['name-amount']\")\" = 'CP866 1' ]"

"$CLI" payments frobnicate --database "$db" > "$tmp/out" 2> "$tmp/err"
check "unknown payments command exits 2" "[ $? -eq 2 ]"
"$CLI" payments import "$tmp/statement.sta" --format xml --database "$db" > "$tmp/out" 2> "$tmp/err"
check "unknown format exits 2" "[ $? -eq 2 ] && grep -q 'mt940, 1c or csv' $tmp/err"

exit $fail
