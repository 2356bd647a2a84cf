#!/bin/sh
# dunning-desk-cli queue: add queues (at most three, settings checked), the line that takes
# calls, list --json, the missed calls list and "called back", figures per queue and hour.
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

echo "1..16"
"$CLI" queue add "Payments" --strategy longest-idle --max-wait 120 --on-max-wait voicemail \
  --announce-every 45 --database "$db" > "$tmp/out" 2>&1
check "queue add with its settings" '[ $? -eq 0 ] && grep -q Payments "$tmp/out"'
check "the settings are stored" '[ "$(q "SELECT strategy || '"'"' '"'"' || max_wait_s || '"'"' '"'"' || on_max_wait || '"'"' '"'"' || announce_every_s FROM inbound_queue")" = "longest-idle 120 voicemail 45" ]'
"$CLI" queue add "Disputes" --max-wait 5 --database "$db" > "$tmp/out" 2>&1
check "a longest wait out of its limits is refused" '[ $? -eq 1 ] && [ "$(q "SELECT COUNT(*) FROM inbound_queue")" = 1 ]'
"$CLI" queue add "Disputes" --strategy random --database "$db" > /dev/null 2>&1
check "an unknown strategy is a usage error" '[ $? -eq 2 ]'
"$CLI" queue add "Disputes" --database "$db" > /dev/null 2>&1
"$CLI" queue add "Other" --database "$db" > /dev/null 2>&1
"$CLI" queue add "Fourth" --database "$db" > "$tmp/out" 2>&1
check "at most three queues" '[ $? -eq 1 ] && [ "$(q "SELECT COUNT(*) FROM inbound_queue")" = 3 ]'
"$CLI" queue line "Office line" --database "$db" > "$tmp/out" 2>&1
check "queue line sets the account that takes calls" '[ $? -eq 0 ] && [ "$(q "SELECT sip_account FROM inbound_line")" = "Office line" ]'
"$CLI" queue list --json --database "$db" > "$tmp/list.json"
check "queue list --json" 'python3 -c "import json,sys; d=json.load(open(\"$tmp/list.json\")); sys.exit(not (d[\"line\"]==\"Office line\" and [x[\"name\"] for x in d[\"queues\"]]==[\"Payments\",\"Disputes\",\"Other\"] and d[\"queues\"][0][\"strategy\"]==\"longest-idle\" and d[\"max_waiting\"]==20))"'
"$CLI" queue line --max-waiting 5 --database "$db" > "$tmp/out" 2>&1
check "queue line --max-waiting sets the cap on waiting callers, the account kept" '[ $? -eq 0 ] && grep -q ": 5" "$tmp/out" && [ "$(q "SELECT sip_account || '"'"' '"'"' || max_waiting FROM inbound_line")" = "Office line 5" ]'
"$CLI" queue line --max-waiting 0 --database "$db" > "$tmp/out" 2>&1
check "a cap of 0 is a usage error" '[ $? -eq 2 ] && [ "$(q "SELECT max_waiting FROM inbound_line")" = 5 ]'
"$CLI" queue line "Office line" --database "$db" > /dev/null 2>&1
check "the line set again keeps its cap" '[ "$(q "SELECT max_waiting FROM inbound_line")" = 5 ]'

# calls as the runner records them, on 2026-11-23 (Europe/Warsaw, the tests' zone)
q "INSERT INTO inbound_call (id, caller, e164, queue_id, arrived_at, queued_at, answered_at, ended_at, outcome) VALUES
 (1, '48601234567', '+48601234567', 1, '2026-11-23T09:00:00Z', '2026-11-23T09:00:02Z', '2026-11-23T09:00:12Z', '2026-11-23T09:03:00Z', 'answered'),
 (2, '48601234567', '+48601234567', 1, '2026-11-23T09:10:00Z', '2026-11-23T09:10:02Z', '2026-11-23T09:10:40Z', '2026-11-23T09:13:00Z', 'answered'),
 (3, '48500100200', '+48500100200', 1, '2026-11-23T09:20:00Z', '2026-11-23T09:20:02Z', NULL, '2026-11-23T09:20:32Z', 'abandoned');
 INSERT INTO inbound_missed (id, call_id, kind, status, created_at) VALUES (1, 3, 'abandoned', 'open', '2026-11-23T09:20:32Z');"
"$CLI" queue missed --json --database "$db" > "$tmp/missed.json"
check "queue missed --json" 'python3 -c "import json,sys; d=json.load(open(\"$tmp/missed.json\")); sys.exit(not (len(d)==1 and d[0][\"kind\"]==\"abandoned\" and d[0][\"queue\"]==\"Payments\" and d[0][\"waited_s\"]==30))"'
"$CLI" queue done 1 --database "$db" > /dev/null 2>&1
check "queue done marks it called back" '[ $? -eq 0 ] && [ "$(q "SELECT status FROM inbound_missed WHERE id = 1")" = done ]'
"$CLI" queue done 1 --database "$db" > /dev/null 2>&1
check "called back twice is refused" '[ $? -eq 1 ]'
"$CLI" queue missed --json --database "$db" > "$tmp/open.json"
check "the open list is empty, --all has it" 'python3 -c "import json,sys; sys.exit(json.load(open(\"$tmp/open.json\")) != [])" && [ "$("$CLI" queue missed --all --json --database "$db" | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" = 1 ]'
"$CLI" queue figures --from 2026-11-23 --json --database "$db" > "$tmp/figures.json"
check "queue figures --json: service level, abandoned, wait, per hour" 'python3 -c "
import json,sys
d=json.load(open(\"$tmp/figures.json\"))
a=[f for f in d if f[\"queue_id\"]==0 and f[\"hour\"]==-1][0]
h=[f for f in d if f[\"queue_id\"]==1 and f[\"hour\"]==10][0]
sys.exit(not (a[\"offered\"]==3 and a[\"answered_in_sl\"]==1 and a[\"abandoned\"]==1 and abs(a[\"average_wait_s\"]-24)<1e-9 and h[\"offered\"]==3))"'
"$CLI" queue figures --from 2026-11-24 --database "$db" > "$tmp/out" 2>&1
check "another day has no calls" '[ $? -eq 0 ] && grep -q "0 calls" "$tmp/out"'
exit $fail
