#!/bin/sh
# dunning-desk-cli ladder plan|run|policy|exclude|include|pause and flow simulate, as cron and
# support use them.
set -u
CLI="${DD_CLI:?}"
FLOW="${DD_FLOW:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
nok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
json () { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

echo "1..25"
db="$tmp/office.db"
"$CLI" stats --database "$db" > /dev/null
sqlite3 "$db" "
INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');
INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at) VALUES
 (1, 'k1', 'Jan Kowalski', 'pl', 'x', 'x'), (2, 'k2', 'Anna Nowak', 'pl', 'x', 'x'),
 (3, 'k3', 'Piotr Zieliński', 'pl', 'x', 'x'), (4, 'k4', 'Ewa Wiśniewska', 'pl', 'x', 'x');
UPDATE debtor SET opt_out = 1 WHERE id = 4;
INSERT INTO phone (debtor_id, e164, created_at) VALUES (1, '+48601000001', 'x'),
 (2, '+48601000002', 'x'), (3, '+48601000003', 'x'), (4, '+48601000004', 'x');
INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,
 created_at, updated_at) VALUES
 (1, 1, 1, 10000, 'PLN', '2026-12-10', 'x', 'x'), (2, 1, 2, 2550, 'PLN', '2026-12-10', 'x', 'x'),
 (3, 2, 1, 5000, 'PLN', '2026-12-04', 'x', 'x'), (4, 3, 1, 7000, 'PLN', '2026-11-27', 'x', 'x'),
 (5, 4, 1, 9900, 'PLN', '2026-12-07', 'x', 'x');
INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at, updated_at)
 VALUES (1, 'FV/1', '2026-12-10', 10000, 'PLN', 'x', 'x'), (2, 'FV/2', '2026-12-10', 2550, 'PLN', 'x', 'x'),
 (3, 'FV/3', '2026-12-04', 5000, 'PLN', 'x', 'x'), (4, 'FV/4', '2026-11-27', 7000, 'PLN', 'x', 'x'),
 (5, 'FV/5', '2026-12-07', 9900, 'PLN', 'x', 'x');
INSERT INTO ivr_flow (name, version, json, created_at)
 VALUES ('payment-reminder', 1, readfile('$FLOW'), 'x');"

# 2026-12-07: Jan −3 (one SMS, two cases), Anna +3 (voice), Piotr +10 (task), Ewa 0 (opted out)
"$CLI" ladder plan --database "$db" --date 2026-12-07 --no-contact-policy --json > "$tmp/plan.json"
check "plan exits 0" "[ $? -eq 0 ]"
check "plan: 3 contacts and tasks covering 4 cases" "[ \"\$(json $tmp/plan.json \"(d['contacts'], d['cases'])\")\" = '(3, 4)' ]"
check "plan: one SMS for both of Jan's cases" "[ \"\$(json $tmp/plan.json \"[(i['channel'], len(i['cases'])) for i in d['items'] if i['debtor_id'] == 1]\")\" = \"[('sms', 2)]\" ]"
check "plan: counts per step" "[ \"\$(json $tmp/plan.json \"[(s['channel'], s['step_day'], s['debtors'], s['cases']) for s in d['steps']]\")\" = \"[('sms', -3, 1, 2), ('voice', 3, 1, 1), ('consultant-call', 10, 1, 1)]\" ]"
check "plan: the opted-out debtor is excluded with the reason" "[ \"\$(json $tmp/plan.json \"[(x['case_id'], x['reason']) for x in d['excluded']]\")\" = \"[(5, 'opt-out')]\" ]"
# Global options before a command that has subcommands (as cron lines are often written).
"$CLI" --database "$db" ladder plan --date 2026-12-07 --no-contact-policy --json > "$tmp/plan-global.json"
check "--database before 'ladder plan'" "[ \"\$(json $tmp/plan-global.json \"d['contacts']\")\" = 3 ]"
check "plan: the voice step names its flow" "[ \"\$(json $tmp/plan.json \"[i['flow'] for i in d['items'] if i['channel'] == 'voice']\")\" = \"['payment-reminder']\" ]"

"$CLI" ladder plan --database "$db" --date 2026-12-07 --no-contact-policy > "$tmp/plan.txt"
check "plan as text: counts and reasons" "grep -q '3 contacts and tasks covering 4 cases' $tmp/plan.txt && grep -q 'Opted out' $tmp/plan.txt"
"$CLI" ladder plan --database "$db" --date 2026-13-07 > "$tmp/out" 2> "$tmp/err"
check "plan: a bad date is an error" "[ $? -eq 1 ] && grep -q 'not a date' $tmp/err"

# a dispute and a pause
"$CLI" ladder exclude 4 --database "$db"
"$CLI" ladder pause 3 --until 2026-12-08 --database "$db"
"$CLI" ladder plan --database "$db" --date 2026-12-07 --no-contact-policy --json > "$tmp/plan2.json"
check "exclude and pause: listed with their reasons" "[ \"\$(json $tmp/plan2.json \"sorted((x['case_id'], x['reason'], x.get('until')) for x in d['excluded'])\")\" = \"[(3, 'paused', '2026-12-08'), (4, 'dispute', None), (5, 'opt-out', None)]\" ]"
"$CLI" ladder include 4 --database "$db"
"$CLI" ladder include 3 --database "$db"

# run: the SMS in the day's campaign, the task on the timeline, the voice step a call of the
# day's ladder voice campaign (which `campaign run ID` calls)
"$CLI" ladder run --database "$db" --date 2026-12-07 --no-contact-policy --json > "$tmp/run.json"
check "run exits 0" "[ $? -eq 0 ]"
check "run: one SMS, one task, one voice call planned" "[ \"\$(json $tmp/run.json \"(d['done']['sms'], d['done']['consultant-call'], d['done']['voice'], d['waiting_voice'], d['cases'])\")\" = '(1, 1, 1, 0, 4)' ]"
check "run: Anna's call in the day's running ladder voice campaign" "[ \"\$(sqlite3 $db \"SELECT COUNT(*), a.e164, a.case_id, a.plan_key, c.state FROM call_attempt a JOIN campaign c ON c.id = a.campaign_id WHERE c.kind = 'voice' AND c.name = 'Ladder calls 2026-12-07 (payment-reminder)'\")\" = '1|+48601000002|3|ladder-3-d3|running' ]"
check "run: one message queued to Jan about both cases" "[ \"\$(sqlite3 $db \"SELECT COUNT(*), e164, body LIKE '%125,50%' FROM message\")\" = '1|+48601000001|1' ]"
check "run: the task is on Piotr's timeline" "[ \"\$(sqlite3 $db \"SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'task' AND channel = 'consultant-call'\")\" = 1 ]"
"$CLI" ladder run --database "$db" --date 2026-12-07 --no-contact-policy --json > "$tmp/run2.json"
check "run again the same day: nothing repeated" "[ \"\$(json $tmp/run2.json \"(d['done']['sms'], d['done']['consultant-call'], d['cases'])\")\" = '(0, 0, 0)' ] && [ \"\$(sqlite3 $db 'SELECT COUNT(*) FROM message')\" = 1 ]"

# catch-up: the PC was off until 2026-12-19: Jan's latest step due (+7 voice) only, once
"$CLI" ladder plan --database "$db" --date 2026-12-19 --no-contact-policy --json > "$tmp/plan3.json"
check "catch-up: the latest step due, not every missed one" "[ \"\$(json $tmp/plan3.json \"[(i['channel'], i['step_day']) for i in d['items'] if i['debtor_id'] == 1]\")\" = \"[('voice', 7)]\" ]"

# --send: the queued SMS go out through the same sending as campaign run (Test gateway)
sqlite3 "$db" "DELETE FROM ladder_day"
"$CLI" ladder run --database "$db" --date 2026-12-08 --no-contact-policy --send --gateway test --poll 1 > "$tmp/send.out" 2> "$tmp/send.err"
check "run --send sends the ladder's SMS" "[ $? -eq 0 ] && [ \"\$(sqlite3 $db \"SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')\")\" -ge 1 ] && [ \"\$(sqlite3 $db \"SELECT COUNT(*) FROM message WHERE state = 'queued'\")\" = 0 ]"

# policy show / set
"$CLI" ladder policy show --database "$db" > "$tmp/policy.json"
check "policy show: the default ladder" "[ \"\$(json $tmp/policy.json \"[(s['day'], s['channel']) for s in d['steps']]\")\" = \"[(-3, 'sms'), (0, 'sms'), (3, 'voice'), (7, 'voice'), (10, 'consultant-call'), (14, 'demand-letter'), (30, 'hand-over')]\" ]"
printf '{"name": "Beta", "steps": [{"day": 0, "channel": "sms", "text": "{name}: {balance}"}, {"day": 5, "channel": "hand-over"}]}' > "$tmp/beta.json"
"$CLI" ladder policy set "$tmp/beta.json" --creditor 2 --database "$db"
"$CLI" ladder policy show --creditor 2 --database "$db" > "$tmp/beta-back.json"
check "policy set: a creditor's own ladder" "[ \"\$(json $tmp/beta-back.json \"[(s['day'], s['channel']) for s in d['steps']]\")\" = \"[(0, 'sms'), (5, 'hand-over')]\" ]"
printf '{"steps": [{"day": 3, "channel": "voice"}]}' > "$tmp/bad.json"
"$CLI" ladder policy set "$tmp/bad.json" --database "$db" > "$tmp/out" 2> "$tmp/err"
check "policy set: a voice step without a flow is refused" "[ $? -eq 1 ] && grep -q 'call flow' $tmp/err"

# flow simulate: the trace for Jan's case, keys 1 (details again) then 3 and a date
"$CLI" flow simulate "$FLOW" --case 1 --keys "1,3" --json --database "$db" > "$tmp/sim.json"
check "flow simulate exits 0" "[ $? -eq 0 ]"
check "flow simulate: prompts with the case's data" "[ \"\$(json $tmp/sim.json \"[t['text'] for t in d['trace'] if t.get('node') == 'greeting'][0]\")\" = 'Hello Jan Kowalski. This is a message from Alfa about an unpaid invoice.' ]"
check "flow simulate: key 1 plays the details again, 3 goes to the declaration" "[ \"\$(json $tmp/sim.json \"[t['node'] for t in d['trace'] if t.get('action') == 'play'][:5]\")\" = \"['greeting', 'details', 'menu', 'details', 'menu']\" ] && json $tmp/sim.json \"d['path']\" | grep -q declaration"
"$CLI" flow simulate "$FLOW" --case 1 --database "$db" > "$tmp/sim.txt"
check "flow simulate as text: no key, the menu times out and hangs up" "grep -q 'Invoice FV slash one' $tmp/sim.txt && grep -q 'hang-up' $tmp/sim.txt && grep -q 'timeout' $tmp/sim.txt"

exit $fail
