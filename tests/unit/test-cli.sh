#!/bin/sh
# The command-line front end, as scripts and cron use it: import with --json, exit codes,
# --database everywhere, demo-office, presets, rejects file.
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

echo "1..68"
db="$tmp/office.db"

cat > "$tmp/in.csv" <<'CSV'
Kontrahent;NIP;Telefon;Nr faktury;Termin płatności;Kwota
Jan Kowalski;;601 234 567;A/1;15.10.2026;100,00
Jan Kowalski;;601 234 567;A/2;15.10.2026;1 000,50
Anna Nowak;;12;B/1;15.10.2026;abc
CSV

"$CLI" import "$tmp/in.csv" --database "$db" --json --rejects "$tmp/rej.csv" > "$tmp/out.json" 2> "$tmp/err"
check "import exits 0 with rejects" "[ $? -eq 0 ]"
check "json: rows read" "[ \"\$(json $tmp/out.json \"d['rows']['read']\")\" = 3 ]"
check "json: rejected by reason" "[ \"\$(json $tmp/out.json \"d['rejected']['invalid-amount']\")\" = 1 ]"
check "json: warnings by reason" "[ \"\$(json $tmp/out.json \"d['warnings']['invalid-phone']\")\" = 1 ]"
check "json: outstanding per currency" "[ \"\$(json $tmp/out.json \"d['outstanding']['PLN']\")\" = 110050 ]"
check "json: encoding and delimiter" "[ \"\$(json $tmp/out.json \"d['encoding']+d['delimiter']\")\" = 'UTF-8;' ]"
check "rejects file lists the bad row" "grep -q 'B/1' $tmp/rej.csv && ! grep -q 'A/1' $tmp/rej.csv"
check "database file is private" "[ \"\$(stat -c %a $db)\" = 600 ]"

"$CLI" stats --database "$db" --json > "$tmp/stats.json"
check "stats sees the import" "[ \"\$(json $tmp/stats.json \"d['liabilities']\")\" = 2 ]"

# Global options before the command, as git takes them.
"$CLI" --database "$db" stats --json > "$tmp/stats2.json"
check "--database before the command" "[ \"\$(json $tmp/stats2.json \"d['liabilities']\")\" = 2 ]"
"$CLI" --database="$tmp/other.db" stats --json > "$tmp/stats3.json"
check "--database=PATH before the command opens that file" "[ \"\$(json $tmp/stats3.json \"d['liabilities']\")\" = 0 ] && [ -e $tmp/other.db ]"
"$CLI" --database > "$tmp/out" 2> "$tmp/err"
check "--database without a path is an error" "[ $? -eq 2 ] && grep -q 'dunning-desk-cli:' $tmp/err"

"$CLI" import "$tmp/missing.csv" --database "$db" > "$tmp/out" 2> "$tmp/err"
check "missing file exits non-zero" "[ $? -ne 0 ] && grep -q 'dunning-desk-cli:' $tmp/err"

printf 'Kontrahent;Kwota\nJan;1,00\n' > "$tmp/nomap.csv"
"$CLI" import "$tmp/nomap.csv" --database "$db" > "$tmp/out" 2> "$tmp/err"
check "unmappable file exits non-zero naming the fields" "[ $? -ne 0 ] && grep -q 'Invoice number' $tmp/err"

printf 'Odbiorca;Dok;Do dnia;Suma\nJan Kowalski;X/1;15.10.2026;5,00\n' > "$tmp/map.csv"
"$CLI" import "$tmp/map.csv" --database "$db" --map name=Odbiorca --map invoice=2 \
  --map due="Do dnia" --map amount=Suma --save-preset "moja firma" --json > "$tmp/map.json" 2> "$tmp/err"
check "--map and --save-preset" "[ $? -eq 0 ] && [ \"\$(json $tmp/map.json \"d['liabilities']['new']\")\" = 1 ]"
"$CLI" presets list --database "$db" > "$tmp/presets"
check "preset listed" "grep -qx 'moja firma' $tmp/presets"

"$CLI" import "$tmp/in.csv" --database "$db" --dry-run --json > "$tmp/dry.json"
check "dry run says so and saves nothing" "[ \"\$(json $tmp/dry.json \"d['dry_run']\")\" = True ] && [ \"\$(json $tmp/dry.json \"d['liabilities']['unchanged']\")\" = 2 ]"

"$CLI" demo-office --debtors 50 --locale ru --database "$tmp/demo.db" > "$tmp/demo.out"
check "demo-office creates an office" "[ $? -eq 0 ] && [ \"\$($CLI stats --database $tmp/demo.db --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"debtors\"] >= 45)')\" = True ]"

"$CLI" campaigns --database "$db" --json > "$tmp/campaigns.json"
check "campaigns: none yet" "[ \"\$(json $tmp/campaigns.json 'len(d)')\" = 0 ]"
sqlite3 "$db" "INSERT INTO campaign (id, name, kind, state, created_at, updated_at) VALUES (5, 'Grudzień', 'sms', 'running', 'x', 'x'); INSERT INTO message (campaign_id, e164, idempotency_key, body, state, created_at, updated_at) VALUES (5, '+48601000001', 'c1', 'x', 'delivered', 'x', 'x'), (5, '+48601000002', 'c2', 'x', 'queued', 'x', 'x');"
"$CLI" campaigns --database "$db" --json > "$tmp/campaigns.json"
check "campaigns: progress counted" "[ \"\$(json $tmp/campaigns.json \"(d[0]['name'], d[0]['state'], d[0]['delivered'], d[0]['queued'])\")\" = \"('Grudzień', 'running', 1, 1)\" ]"

"$CLI" campaign create --database "$tmp/demo.db" --text "x" > "$tmp/out" 2> "$tmp/err"
check "campaign create without a name exits 2" "[ $? -eq 2 ] && grep -q -- '--name' $tmp/err"
"$CLI" campaign create --database "$tmp/demo.db" --name "Test" --text "{name}: {amount}" --plain > "$tmp/out"
check "campaign create queues one message per debtor" "[ $? -eq 0 ] && [ \"\$(sqlite3 $tmp/demo.db 'SELECT COUNT(*) = COUNT(DISTINCT e164) AND COUNT(*) > 40 FROM message')\" = 1 ] && grep -q 'Campaign 1:' $tmp/out"
DD_SMS_TOKEN= "$CLI" campaign run --database "$tmp/demo.db" --gateway smsapi > "$tmp/out" 2> "$tmp/err"
check "campaign run with SMSAPI needs a token" "[ $? -eq 2 ] && grep -q DD_SMS_TOKEN $tmp/err"
"$CLI" campaign run --database "$tmp/demo.db" --gateway test --poll 1 --no-contact-policy > "$tmp/out" 2> "$tmp/err"
check "campaign run on the Test gateway sends all and ends" "[ $? -eq 0 ] && [ \"\$(sqlite3 $tmp/demo.db \"SELECT COUNT(*) FROM message WHERE state NOT IN ('sent', 'delivered')\")\" = 0 ]"

# A refused token: the campaign pauses with the reason, nothing fails, the exit status says so;
# with the right token the same campaign resumes and every message goes once.
STAND_IN="${DD_SMSAPI_STAND_IN:?}"
"$CLI" demo-office --debtors 30 --database "$tmp/sms.db" > /dev/null
"$CLI" campaign create --database "$tmp/sms.db" --name "Token" --text "{name}: {amount}" --plain > /dev/null
"$STAND_IN" --token right-token > "$tmp/stand-in.url" &
stand_in_pid=$!
for _ in $(seq 100); do [ -s "$tmp/stand-in.url" ] && break; sleep 0.1; done
url="$(head -n 1 "$tmp/stand-in.url")"
accepted () { python3 -c "import json,urllib.request; d=json.load(urllib.request.urlopen('${url}_stand-in/state')); print(len(d['accepted']), len(set(a['idx'] for a in d['accepted'])))"; }
total="$(sqlite3 "$tmp/sms.db" 'SELECT COUNT(*) FROM message')"
DD_SMS_TOKEN=wrong "$CLI" campaign run --database "$tmp/sms.db" --gateway smsapi --gateway-url "$url" \
  --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
status=$?
campaign="$(sqlite3 "$tmp/sms.db" "SELECT state || ' ' || state_reason FROM campaign")"
queued="$(sqlite3 "$tmp/sms.db" "SELECT COUNT(*) FROM message WHERE state = 'queued' AND attempts = 0")"
got="$(accepted)"
check "refused token: non-zero exit with the reason on stderr" '[ $status -ne 0 ] && grep -q paused "$tmp/err" && grep -q token "$tmp/err"'
check "refused token: campaign paused with the reason" '[ "$campaign" = "paused auth" ]'
check "refused token: every message back in the queue, none failed or sent" '[ "$queued" = "$total" ] && [ "$got" = "0 0" ]'
DD_SMS_TOKEN=right-token "$CLI" campaign run --database "$tmp/sms.db" --gateway smsapi --gateway-url "$url" \
  --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
status=$?
campaign="$(sqlite3 "$tmp/sms.db" "SELECT state FROM campaign")"
sent="$(sqlite3 "$tmp/sms.db" "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')")"
got="$(accepted)"
check "right token: the campaign resumes and completes" '[ $status -eq 0 ] && grep -q resumes "$tmp/out" && [ "$campaign" = completed ]'
check "right token: every message sent" '[ "$sent" = "$total" ]'
check "right token: every message accepted exactly once" '[ "$got" = "$total $total" ]'
# A run longer than the report poll (--poll 1; each answer takes 100 ms on one connection): the
# poll asks SMSAPI about up to 100 sent messages at a time and those it delivered become
# "delivered". They were sent: the campaigns list counts them among the sent, not beside them
# (a 30,290-message run under load that outlived the 60 s poll looked 100 short).
"$CLI" demo-office --debtors 25 --database "$tmp/poll.db" > /dev/null
"$CLI" campaign create --database "$tmp/poll.db" --name "Poll" --text "{name}: {amount}" --plain > /dev/null
"$STAND_IN" --token right-token --answer-ms 100 > "$tmp/stand-in-poll.url" &
poll_pid=$!
for _ in $(seq 100); do [ -s "$tmp/stand-in-poll.url" ] && break; sleep 0.1; done
poll_url="$(head -n 1 "$tmp/stand-in-poll.url")"
poll_total="$(sqlite3 "$tmp/poll.db" 'SELECT COUNT(*) FROM message')"
DD_SMS_TOKEN=right-token "$CLI" campaign run --database "$tmp/poll.db" --gateway smsapi \
  --gateway-url "$poll_url" --connections 1 --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
status=$?
got="$(python3 -c "import json,urllib.request; d=json.load(urllib.request.urlopen('${poll_url}_stand-in/state')); print(len(d['accepted']), len(set(a['idx'] for a in d['accepted'])))")"
kill "$poll_pid"
wait "$poll_pid" 2> /dev/null
delivered="$(sqlite3 "$tmp/poll.db" "SELECT COUNT(*) FROM message WHERE state = 'delivered'")"
left="$(sqlite3 "$tmp/poll.db" "SELECT COUNT(*) FROM message WHERE state NOT IN ('sent', 'delivered')")"
"$CLI" campaigns --database "$tmp/poll.db" > "$tmp/poll.txt"
check "report poll during the run: every message accepted once, some reported delivered, none left" '[ $status -eq 0 ] && [ "$got" = "$poll_total $poll_total" ] && [ "$delivered" -gt 0 ] && [ "$left" = 0 ] && grep -q "Sent: $poll_total, not sent: 0" "$tmp/out"'
check "report poll during the run: the campaigns list counts the delivered among the sent" "grep -q \"queued 0, sent $poll_total (delivered $delivered of them), failed 0\" $tmp/poll.txt"
# A run stopped before the end (SIGTERM, as Ctrl+C): it says how many are left for the next run
# and how many were on their way ("not sent: 0" alone read as all sent); the next run asks
# SMSAPI about those and sends the rest, each exactly once.
"$CLI" demo-office --debtors 25 --database "$tmp/stop.db" > /dev/null
"$CLI" campaign create --database "$tmp/stop.db" --name "Stop" --text "{name}: {amount}" --plain > /dev/null
"$STAND_IN" --token right-token --answer-ms 200 > "$tmp/stand-in-stop.url" &
stop_pid=$!
for _ in $(seq 100); do [ -s "$tmp/stand-in-stop.url" ] && break; sleep 0.1; done
stop_url="$(head -n 1 "$tmp/stand-in-stop.url")"
stop_total="$(sqlite3 "$tmp/stop.db" 'SELECT COUNT(*) FROM message')"
DD_SMS_TOKEN=right-token "$CLI" campaign run --database "$tmp/stop.db" --gateway smsapi \
  --gateway-url "$stop_url" --connections 1 --no-contact-policy --poll 60 > "$tmp/out" 2> "$tmp/err" &
run_pid=$!
# stopped once it is sending (a few of the 5 s it needs)
for _ in $(seq 100); do
  [ "$(sqlite3 "$tmp/stop.db" "SELECT COUNT(*) FROM message WHERE state = 'sent'" 2> /dev/null)" -ge 3 ] 2> /dev/null && break
  sleep 0.1
done
kill -TERM "$run_pid"
wait "$run_pid"
status=$?
left="$(sqlite3 "$tmp/stop.db" "SELECT COUNT(*) FROM message WHERE state IN ('queued', 'sending')")"
on_way="$(sqlite3 "$tmp/stop.db" "SELECT COUNT(*) FROM message WHERE state = 'sending'")"
check "stopped run: it says how many are left for the next run, and those on their way" '[ $status -eq 130 ] && [ "$left" -gt 0 ] && grep -q "not sent: 0, left for the next run: $left\$" "$tmp/out" && { [ "$on_way" = 0 ] || grep -q "^$on_way messages\? w[ae][sr]e\? on \(its\|their\) way" "$tmp/err"; }'
DD_SMS_TOKEN=right-token "$CLI" campaign run --database "$tmp/stop.db" --gateway smsapi \
  --gateway-url "$stop_url" --connections 4 --no-contact-policy --poll 60 > "$tmp/out" 2> "$tmp/err"
status=$?
got="$(python3 -c "import json,urllib.request; d=json.load(urllib.request.urlopen('${stop_url}_stand-in/state')); print(len(d['accepted']), len(set(a['idx'] for a in d['accepted'])))")"
kill "$stop_pid"
wait "$stop_pid" 2> /dev/null
left="$(sqlite3 "$tmp/stop.db" "SELECT COUNT(*) FROM message WHERE state NOT IN ('sent', 'delivered')")"
check "stopped run: the next run sends the rest, every message accepted exactly once" '[ $status -eq 0 ] && [ "$left" = 0 ] && [ "$got" = "$stop_total $stop_total" ] && ! grep -q "left for the next run" "$tmp/out"'
# One number of a campaign the provider refuses (SMSAPI error 13): the others go, and the run
# says which one was not sent and why, and how many went.
"$CLI" demo-office --debtors 5 --database "$tmp/bad.db" > /dev/null
"$CLI" campaign create --database "$tmp/bad.db" --name "Bad" --text "{name}: {amount}" --plain > /dev/null
sqlite3 "$tmp/bad.db" "UPDATE message SET e164 = '+4812' WHERE id = (SELECT MIN(id) FROM message)"
bad_total="$(sqlite3 "$tmp/bad.db" 'SELECT COUNT(*) FROM message')"
DD_SMS_TOKEN=right-token "$CLI" campaign run --database "$tmp/bad.db" --gateway smsapi --gateway-url "$url" \
  --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
status=$?
failed="$(sqlite3 "$tmp/bad.db" "SELECT COUNT(*) FROM message WHERE state = 'failed'")"
check "refused number: the others are sent, that one failed" '[ $status -eq 0 ] && [ "$failed" = 1 ]'
check "refused number: stderr names the number and SMSAPI's reason" 'grep -q "+4812.*error 13" "$tmp/err"'
check "refused number: stdout counts sent and not sent" 'grep -q "Sent: $((bad_total - 1)), not sent: 1" "$tmp/out"'
kill "$stand_in_pid"
wait "$stand_in_pid" 2> /dev/null

# The provider cannot be reached (nothing listens on port 1): the run waits for the next
# attempt and says why, instead of looking stuck.
"$CLI" demo-office --debtors 3 --database "$tmp/unreach.db" > /dev/null
"$CLI" campaign create --database "$tmp/unreach.db" --name "Far" --text "{name}" --plain > /dev/null
DD_SMS_TOKEN=x timeout 6 "$CLI" campaign run --database "$tmp/unreach.db" --gateway smsapi \
  --gateway-url http://127.0.0.1:1/ --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
check "unreachable provider: the run says why it waits" 'grep -q "Could not reach SMSAPI.*trying again in" "$tmp/err"'

# The provider down for longer than the back-off (42 minutes of it; the test starts at the 7th
# attempt): the messages are not failed for good, they wait, the campaign is not complete and
# the run says so. When SMSAPI answers again the next run sends each exactly once, under the
# same idx: one the provider had taken before its answer was lost is not delivered twice; the
# number it refuses for good stays refused and is not tried again; a case closed meanwhile
# gets nothing.
"$CLI" demo-office --debtors 8 --database "$tmp/down.db" > /dev/null
"$CLI" campaign create --database "$tmp/down.db" --name "Down" --text "{name}" --plain > /dev/null
sqlite3 "$tmp/down.db" "UPDATE message SET attempts = 7"
sqlite3 "$tmp/down.db" "UPDATE message SET e164 = '+4812' WHERE id = (SELECT MIN(id) FROM message)"
down_total="$(sqlite3 "$tmp/down.db" 'SELECT COUNT(*) FROM message')"
DD_SMS_TOKEN=right-token timeout 60 "$CLI" campaign run --database "$tmp/down.db" --gateway smsapi \
  --gateway-url http://127.0.0.1:1/ --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
status=$?
waiting="$(sqlite3 "$tmp/down.db" "SELECT COUNT(*) FROM message WHERE state = 'queued' AND error_code = 'provider-unreachable'")"
failed="$(sqlite3 "$tmp/down.db" "SELECT COUNT(*) FROM message WHERE state = 'failed'")"
campaign="$(sqlite3 "$tmp/down.db" "SELECT state FROM campaign")"
check "provider down past the back-off: the run ends, every message waits, none failed for good" '[ $status -eq 0 ] && [ "$waiting" = "$down_total" ] && [ "$failed" = 0 ]'
check "provider down past the back-off: the campaign is not complete" '[ "$campaign" = running ]'
check "provider down past the back-off: the run says they wait for SMSAPI" 'grep -q "^$down_total messages could not be sent because SMSAPI was unreachable" "$tmp/err" && grep -q "waiting for the provider: $down_total" "$tmp/out"'
"$CLI" campaigns --database "$tmp/down.db" --json > "$tmp/down.json"
check "provider down: campaigns --json counts the waiting ones" "[ \"\$(json $tmp/down.json \"d[0]['waiting']\")\" = $down_total ]"
"$CLI" campaigns --database "$tmp/down.db" > "$tmp/down.txt"
check "provider down: the campaigns list says how many wait for the provider" "grep -q \"queued $down_total (waiting for the provider $down_total)\" $tmp/down.txt"
closed_case="$(sqlite3 "$tmp/down.db" "SELECT case_id FROM message ORDER BY id DESC LIMIT 1")"
sqlite3 "$tmp/down.db" "UPDATE debt_case SET status = 'closed' WHERE id = $closed_case"
n_closed="$(sqlite3 "$tmp/down.db" "SELECT COUNT(*) FROM message WHERE case_id = $closed_case")"
"$STAND_IN" --token right-token > "$tmp/stand-in2.url" &
stand_in_pid=$!
for _ in $(seq 100); do [ -s "$tmp/stand-in2.url" ] && break; sleep 0.1; done
url="$(head -n 1 "$tmp/stand-in2.url")"
# a message SMSAPI took before the outage while its answer was lost
taken="$(sqlite3 "$tmp/down.db" "SELECT idempotency_key || ' ' || e164 FROM message ORDER BY id LIMIT 1 OFFSET 1")"
python3 - "$url" $taken <<'PY'
import sys, urllib.parse, urllib.request
url, idx, to = sys.argv[1], sys.argv[2], sys.argv[3].lstrip('+')
data = urllib.parse.urlencode({'to': to, 'message': 'x', 'idx': idx, 'check_idx': '1', 'format': 'json'}).encode()
urllib.request.urlopen(urllib.request.Request(url + 'sms.do', data, {'Authorization': 'Bearer right-token'})).read()
PY
DD_SMS_TOKEN=right-token timeout 60 "$CLI" campaign run --database "$tmp/down.db" --gateway smsapi --gateway-url "$url" \
  --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
status=$?
sent="$(sqlite3 "$tmp/down.db" "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')")"
refused="$(sqlite3 "$tmp/down.db" "SELECT state || ' ' || attempts FROM message WHERE e164 = '+4812'")"
closed_left="$(sqlite3 "$tmp/down.db" "SELECT COUNT(*) FROM message WHERE case_id = $closed_case AND state <> 'cancelled'")"
campaign="$(sqlite3 "$tmp/down.db" "SELECT state FROM campaign")"
got="$(accepted)"
check "provider back: every waiting message sent, the campaign completes" '[ $status -eq 0 ] && [ "$sent" = $((down_total - 1 - n_closed)) ] && [ "$campaign" = completed ]'
check "provider back: each accepted exactly once (same idx), none twice" '[ "$got" = "$((down_total - 1 - n_closed)) $((down_total - 1 - n_closed))" ]'
check "provider back: the refused number failed for good" '[ "$refused" = "failed 9" ]'
check "provider back: a case closed meanwhile is not messaged" '[ "$closed_left" = 0 ]'
DD_SMS_TOKEN=right-token timeout 60 "$CLI" campaign run --database "$tmp/down.db" --gateway smsapi --gateway-url "$url" \
  --no-contact-policy --poll 1 > "$tmp/out" 2> "$tmp/err"
refused_again="$(sqlite3 "$tmp/down.db" "SELECT state || ' ' || attempts FROM message WHERE e164 = '+4812'")"
check "a later run does not try the refused number again nor send twice" '[ "$refused_again" = "failed 9" ] && [ "$(accepted)" = "$got" ]'
kill "$stand_in_pid"
wait "$stand_in_pid" 2> /dev/null

# Twilio and Kannel from the command line, through the gateway code the window uses.
TWILIO="${DD_TWILIO_STAND_IN:?}"
sid=AC0123456789abcdef0123456789abcdef
"$CLI" demo-office --debtors 12 --database "$tmp/tw.db" > /dev/null
"$CLI" campaign create --database "$tmp/tw.db" --name "Twilio" --text "{name}: {amount}" --plain > /dev/null
"$TWILIO" --sid "$sid" --token tw-token --number +48500100200 > "$tmp/tw.out" &
tw_pid=$!
for _ in $(seq 100); do [ -s "$tmp/tw.out" ] && break; sleep 0.1; done
tw_url="$(head -n 1 "$tmp/tw.out")"
total="$(sqlite3 "$tmp/tw.db" 'SELECT COUNT(*) FROM message')"
DD_SMS_TOKEN=tw-token DD_SMS_USER="$sid" "$CLI" campaign run --database "$tmp/tw.db" \
  --gateway twilio --gateway-url "$tw_url" --sender +48500100200 --no-contact-policy --poll 1 \
  > "$tmp/out" 2> "$tmp/err"
status=$?
sent="$(sqlite3 "$tmp/tw.db" "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')")"
kill "$tw_pid"
wait "$tw_pid" 2> /dev/null
got="$(tail -n +2 "$tmp/tw.out" | sort -u | wc -l)"
check "twilio: campaign run sends every message" '[ $status -eq 0 ] && [ "$sent" = "$total" ] && [ "$total" -gt 0 ]'
check "twilio: the stand-in accepted each recipient" '[ "$got" = "$(sqlite3 "$tmp/tw.db" "SELECT COUNT(DISTINCT e164) FROM message")" ]'
DD_SMS_TOKEN=x "$CLI" campaign run --database "$tmp/tw.db" --gateway kannel > "$tmp/out" 2> "$tmp/err"
check "kannel: without the gateway's address and user it says what is missing" '[ $? -ne 0 ] && grep -q "dunning-desk-cli:" "$tmp/err"'

# Issue 14: the dry run names the debt column with its total next to the other money column's,
# and the rejected row with its line and column; a Russian 1C export into a new office is read
# as Russian (roubles, +7 phones); into a Polish office it is read as Polish, with a warning.
exports="${G_TEST_SRCDIR:?}/data/import"
"$CLI" import "$exports/naleznosci-cp1250.csv" --database "$tmp/m.db" --dry-run > "$tmp/pl.out"
status=$?
check "dry run: the remaining amount is the debt, the gross is shown beside it" '[ $status -eq 0 ] && grep -q "^Debt taken from column “Pozostało do zapłaty”: PLN.16,969\.50$" "$tmp/pl.out" && grep -q "^  Invoice total, column “Kwota brutto”: PLN.24,969\.00$" "$tmp/pl.out"'
check "dry run: the \"do ustalenia\" row is rejected with its line and column" 'grep -qF "✗ Row 6 (line 6), column “Pozostało do zapłaty”: " "$tmp/pl.out" && grep -qF "do ustalenia" "$tmp/pl.out" && grep -q "rejected: 1" "$tmp/pl.out"'
"$CLI" import "$exports/1c-zadolzhennost-cp1251.csv" --database "$tmp/m.db" --dry-run --json > "$tmp/ru.json"
check "a 1C export into a new office is Russian: roubles and valid phones" '[ "$(json "$tmp/ru.json" "d[\"outstanding\"], d[\"country\"], d[\"country_from_file\"], d[\"warnings\"].get(\"invalid-phone\", 0)")" = "{'"'RUB'"': 96296770} RU True 0" ]'
"$CLI" import "$exports/1c-zadolzhennost-cp1251.csv" --database "$tmp/m.db" --dry-run --country PL > "$tmp/ru-pl.out"
check "a Polish office is warned that the file looks Russian" 'grep -qF "The file looks like an export from RU, but the office’s country is PL" "$tmp/ru-pl.out"'
check "the dry runs saved nothing" '[ "$(sqlite3 "$tmp/m.db" "SELECT COUNT(*) FROM liability")" = 0 ]'

# Slash dates that fit both orders: the summary says how they were read and how to read them
# the other way; --dates=month-first reads them so; a wrong order is a usage error.
printf 'Customer,Phone,Invoice,Due Date,Amount Due\nAcme Inc,+48 601 234 567,INV-3,03/10/2026,1.00\n' > "$tmp/amb.csv"
"$CLI" import "$tmp/amb.csv" --database "$tmp/amb.db" --quiet > "$tmp/amb.out"
check "ambiguous slash dates: read day first, said so, with the option that reads them month first" 'grep -qF "they were read day first (3 October 2026)" "$tmp/amb.out" && grep -qF -- "--dates=month-first" "$tmp/amb.out" && [ "$(sqlite3 "$tmp/amb.db" "SELECT due_on FROM liability")" = 2026-10-03 ]'
"$CLI" import "$tmp/amb.csv" --database "$tmp/amb2.db" --quiet --dates=month-first --json > "$tmp/amb2.json"
check "--dates=month-first reads 03/10/2026 as March 10" '[ "$(sqlite3 "$tmp/amb2.db" "SELECT due_on FROM liability")" = 2026-03-10 ] && [ "$(json "$tmp/amb2.json" "d[\"month_first\"], d[\"dates_ambiguous\"]")" = "True False" ]'
"$CLI" import "$tmp/amb.csv" --database "$tmp/amb3.db" --dates=sideways > /dev/null 2> "$tmp/amb3.err"
check "--dates with another value is a usage error" '[ $? -eq 2 ] && grep -q "day-first or month-first" "$tmp/amb3.err"'

# A saved mapping keeps the order of dates it was used with (preset version 2): next month's
# file, whose dates fit both orders too, is read month first without --dates; --dates wins.
"$CLI" import "$tmp/amb.csv" --database "$tmp/pre.db" --quiet --dates=month-first --save-preset "US export" > /dev/null
"$CLI" presets show "US export" --database "$tmp/pre.db" > "$tmp/pre.show"
check "--save-preset keeps --dates" 'grep -qF "\"dates\":\"month-first\"" "$tmp/pre.show" && grep -qF "\"version\":2" "$tmp/pre.show"'
printf 'Customer,Phone,Invoice,Due Date,Amount Due\nBolt LLC,+48 602 345 678,INV-4,04/11/2026,2.00\n' > "$tmp/amb-next.csv"
"$CLI" import "$tmp/amb-next.csv" --database "$tmp/pre.db" --quiet --preset "US export" > "$tmp/pre.out"
check "--preset reads the next file's dates month first" '[ "$(sqlite3 "$tmp/pre.db" "SELECT max(due_on) FROM liability")" = 2026-04-11 ] && ! grep -qF -- "--dates=month-first" "$tmp/pre.out"'
"$CLI" import "$tmp/amb-next.csv" --database "$tmp/pre.db" --quiet --preset "US export" --dates=day-first --dry-run --json > "$tmp/pre.json"
check "--dates wins over the preset" '[ "$(json "$tmp/pre.json" "d[\"month_first\"]")" = False ]'
# Excel's "Unicode Text (*.txt)": UTF-16LE with a byte order mark, tabs, CRLF, doubled quotes;
# UTF-16BE without the mark; a copy cut off inside a character names its line, saves nothing.
printf 'Kontrahent\tNIP\tTelefon\tNr faktury\tTermin płatności\tKwota\r\n"Piekarnia ""Złoty Kłos"" s.c."\t\t601 222 333\tFV/2026/10/0002\t07.10.2026\t349,99\r\nWąsowski Józef\t\t+48 600 100 200\tFV/2026/10/0001\t31.10.2026\t"1 250,00"\r\n' > "$tmp/u8.txt"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$tmp/u8.txt"; } > "$tmp/unicode.txt"
"$CLI" import "$tmp/unicode.txt" --database "$tmp/u.db" --json > "$tmp/u.json"
check "UTF-16LE with tabs is imported; --json says UTF-16LE" '[ $? -eq 0 ] && [ "$(json "$tmp/u.json" "d[\"encoding\"], d[\"delimiter\"], d[\"rows\"][\"imported\"], d[\"outstanding\"][\"PLN\"]")" = "UTF-16LE tab 2 159999" ] && [ "$(sqlite3 "$tmp/u.db" "SELECT name FROM debtor ORDER BY name LIMIT 1")" = "Piekarnia \"Złoty Kłos\" s.c." ]'
iconv -f UTF-8 -t UTF-16BE "$tmp/u8.txt" > "$tmp/be.txt"
"$CLI" import "$tmp/be.txt" --database "$tmp/be.db" --dry-run > "$tmp/be.out"
check "UTF-16BE without a byte order mark: the summary names it" '[ $? -eq 0 ] && grep -qF "File: be.txt (UTF-16BE, delimiter “tab”)" "$tmp/be.out" && grep -q "imported: 2," "$tmp/be.out"'
head -c -3 "$tmp/unicode.txt" > "$tmp/cut.txt"
"$CLI" import "$tmp/cut.txt" --database "$tmp/cut.db" > "$tmp/out" 2> "$tmp/err"
check "UTF-16 cut inside a character: the line named, nothing imported" '[ $? -eq 1 ] && grep -qF "Line 3: the file ends in the middle of a character" "$tmp/err" && [ "$(sqlite3 "$tmp/cut.db" "SELECT COUNT(*) FROM liability")" = 0 ]'

# Two "Telefon" and two "Kwota" columns: the summary, the dry run's debt line with the other
# money column's total, the warnings and --json's mapping say which one.
printf 'Lp;Kontrahent;NIP;Telefon;Telefon;Nr faktury;Data wystawienia;Termin płatności;Kwota;Waluta;Kwota\r\n1;Jan Kowalski;;601 234 567;12;FV/1;01.10.2026;15.10.2026;1 230,00;PLN;1 500,00\r\n2;Anna Nowak;;602 345 678;22 123 45 67;FV/2;01.10.2026;15.10.2026;615,00;PLN;615,00\r\n' > "$tmp/dup.csv"
"$CLI" import "$tmp/dup.csv" --database "$tmp/dup.db" --dry-run --map total=11 > "$tmp/dup.out"
check "repeated headers: the dry run names the columns by number too" '[ $? -eq 0 ] && grep -q "^Debt taken from column “Kwota (column 9)”: PLN.1,845\.00$" "$tmp/dup.out" && grep -q "^  Invoice total, column “Kwota (column 11)”: PLN.2,115\.00$" "$tmp/dup.out" && grep -qF "Row 2 (line 2), column “Telefon (column 5)”: " "$tmp/dup.out"'
"$CLI" import "$tmp/dup.csv" --database "$tmp/dup.db" --dry-run --map total="Kwota (column 11)" --json > "$tmp/dup.json"
check "repeated headers: --json mapping says which column; --map takes that name" '[ "$(json "$tmp/dup.json" "d[\"mapping\"][\"amount\"], d[\"mapping\"][\"total\"], d[\"mapping\"][\"phone2\"], d[\"mapping\"][\"invoice\"]")" = "Kwota (column 9) Kwota (column 11) Telefon (column 5) Nr faktury" ]'

"$CLI" frobnicate > /dev/null 2>&1
check "unknown command exits 2" "[ $? -eq 2 ]"
exit $fail
