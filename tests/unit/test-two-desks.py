#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A team on one database (issue 19). Run by tests/run-with-postgresql.sh, which starts a
throw-away PostgreSQL cluster. An office made in SQLite is copied into PostgreSQL with
`dunning-desk-cli migrate --to`; then two desks (two `campaign run` processes) send the same
SMS campaign from it to the SMSAPI stand-in at once, one of them is killed mid-run and started
again. The stand-in must have accepted every message exactly once. Prints TAP."""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

CLI = os.environ["DD_CLI"]
STAND_IN = os.environ["DD_SMSAPI_STAND_IN"]
BASE = os.environ["DD_TEST_POSTGRESQL"]          # postgresql:///postgres?host=…&user=…
TOKEN = "two-desks-token"

results = []


def check(ok, what):
    results.append((bool(ok), what))
    print(("ok" if ok else "not ok") + f" {len(results)} - {what}", flush=True)


def psql(uri, sql):
    out = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", uri,
                          "-c", sql], check=True, capture_output=True, text=True).stdout
    return out.strip()


def database_uri(name):
    return "postgresql:///" + name + BASE[BASE.index("?"):]


def state(url):
    with urllib.request.urlopen(url + "_stand-in/state", timeout=30) as answer:
        return json.load(answer)


def main():
    seed = int(os.environ.get("DD_CRASH_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    print(f"# seed {seed} (DD_CRASH_SEED to repeat)")
    tmp = tempfile.mkdtemp(prefix="dd-two-desks-")
    db = os.path.join(tmp, "office.db")
    shared = database_uri("office")
    stand_in = None
    try:
        subprocess.run([CLI, "demo-office", "--debtors", "700", "--database", db],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([CLI, "campaign", "create", "--database", db, "--name", "Team",
                        "--hold-out", "0", "--sender", "Windykacja",
                        "--text", "{name}, faktura {invoice} na {amount} czeka od {due_date}."],
                       check=True, stdout=subprocess.DEVNULL)
        con = sqlite3.connect(db)
        expected = {k for (k,) in con.execute(
            "SELECT idempotency_key FROM message WHERE campaign_id = 1")}
        cases, balance = con.execute(
            "SELECT COUNT(*), SUM(balance_minor) FROM debt_case").fetchone()
        con.close()
        check(len(expected) >= 600, f"the campaign has {len(expected)} messages")

        # the copy: one transaction, counts and totals compared
        psql(BASE, "CREATE DATABASE office")
        copied = subprocess.run([CLI, "migrate", "--database", db, "--to", shared, "--json"],
                                capture_output=True, text=True)
        if copied.returncode != 0:
            print("# " + copied.stderr.replace("\n", "\n# "))
        check(copied.returncode == 0, "the office was copied into PostgreSQL")
        totals = json.loads(copied.stdout or "{}")
        check(totals.get("cases") == cases and totals.get("balance_minor") == balance,
              f"the copy holds the office's {cases} cases and their balance ({totals})")
        check(int(psql(shared, "SELECT COUNT(*) FROM message")) == len(expected),
              "every message of the campaign is in the shared database")
        check(int(psql(shared, "SELECT COUNT(*) FROM debt_case c JOIN creditor cr"
                               " ON cr.id = c.creditor_id"
                               " WHERE c.creditor_name IS NOT DISTINCT FROM cr.name")) == cases,
              "each copied case has its creditor's name for the list's sort (schema 29)")
        again = subprocess.run([CLI, "migrate", "--database", db, "--to", shared],
                               capture_output=True, text=True)
        check(again.returncode != 0 and
              int(psql(shared, "SELECT COUNT(*) FROM debt_case")) == cases,
              "a second copy into the same database is refused and changes nothing")

        stand_in = subprocess.Popen([STAND_IN, "--token", TOKEN, "--answer-ms", "5"],
                                    stdout=subprocess.PIPE, text=True)
        url = stand_in.stdout.readline().strip()
        env = dict(os.environ, DD_SMS_TOKEN=TOKEN)
        command = [CLI, "campaign", "run", "--database", shared, "--gateway", "smsapi",
                   "--gateway-url", url, "--connections", "3", "--rate", "300",
                   "--no-contact-policy"]

        # A desk that starts while another is sending leaves the other's messages alone: a
        # provider that answers slowly keeps the first desk's messages "sending"; the second
        # desk must not settle them (a live desk holds them, schema 25). Both are then killed:
        # what they held is settled by the runs below (their processes are gone).
        slow = subprocess.Popen([STAND_IN, "--token", TOKEN, "--answer-ms", "4000"],
                                stdout=subprocess.PIPE, text=True)
        try:
            slow_url = slow.stdout.readline().strip()
            slow_command = [CLI, "campaign", "run", "--database", shared, "--gateway", "smsapi",
                            "--gateway-url", slow_url, "--connections", "3", "--rate", "300",
                            "--no-contact-policy"]
            holder = subprocess.Popen(slow_command, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
            deadline = time.time() + 30
            held = ""
            while not held and time.time() < deadline and holder.poll() is None:
                time.sleep(0.05)
                held = psql(shared, "SELECT string_agg(id::text, ',') FROM message"
                                    " WHERE state = 'sending'")
            check(held != "", f"a desk holds messages on their way ({held})")
            starter = subprocess.Popen(slow_command, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            time.sleep(2.0)
            still = psql(shared, "SELECT COUNT(*) FROM message WHERE id IN (" + (held or "0") +
                                 ") AND state = 'sending' AND claimed_by = (SELECT claimed_by"
                                 " FROM message WHERE id = " + (held or "0").split(",")[0] +
                                 ")")
            for desk in (holder, starter):
                if desk.poll() is None:
                    desk.send_signal(signal.SIGKILL)
                desk.wait()
            said = starter.stderr.read()
            check("Reconciling" not in said and int(still) == len(held.split(",")),
                  f"a desk that started left the live desk's {still} messages alone")
            if "Reconciling" in said:
                print("# " + said.replace("\n", "\n# "))
        finally:
            slow.terminate()
            slow.wait()

        desk_a = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        desk_b = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.5, 1.5))
        killed = desk_a.poll() is None
        if killed:
            desk_a.send_signal(signal.SIGKILL)
        desk_a.wait()
        check(killed, "one desk was killed while both were sending")
        desk_b.wait(timeout=300)
        err = desk_b.stderr.read()
        if desk_b.returncode != 0:
            print("# " + err.replace("\n", "\n# "))
        check(desk_b.returncode == 0, "the other desk finished its run")
        # the killed desk comes back and finishes what it held
        restarted = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, timeout=300)
        if restarted.returncode != 0:
            print("# " + restarted.stderr.replace("\n", "\n# "))
        check(restarted.returncode == 0, "the killed desk ran again to the end")

        got = state(url)
        keys = [a["idx"] for a in got["accepted"]]
        check(len(keys) == len(set(keys)), f"no message accepted twice ({len(keys)} accepted)")
        check(set(keys) == expected,
              f"every message accepted ({len(expected - set(keys))} missing, "
              f"{len(set(keys) - expected)} unknown)")
        states = psql(shared, "SELECT state || '=' || COUNT(*) FROM message"
                              " WHERE campaign_id = 1 GROUP BY state ORDER BY state")
        check(set(s.split("=")[0] for s in states.split()) <= {"sent", "delivered"},
              f"every message recorded as sent in the shared database: {states.split()}")

        # Two desks run the ladder the same day at once: each step is carried out once (the
        # claims are taken with INSERT … ON CONFLICT and resumed FOR UPDATE SKIP LOCKED).
        day = time.strftime("%Y-%m-%d")
        flow_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                                 "ivr", "payment-reminder.json")
        with open(flow_path, encoding="utf-8") as f:
            psql(shared, "INSERT INTO ivr_flow (name, version, json, created_at) VALUES"
                         " ('payment-reminder', 1, $flow$" + f.read() + "$flow$, 'x')")
        ladder = [CLI, "ladder", "run", "--database", shared, "--date", day,
                  "--no-contact-policy", "--json"]
        plan = json.loads(subprocess.run([CLI, "ladder", "plan", "--database", shared, "--date",
                                          day, "--no-contact-policy", "--json"], check=True,
                                         capture_output=True, text=True).stdout)
        check(plan["cases"] > 0, f"the ladder has {plan['cases']} cases to take a step today")
        runs = [subprocess.Popen(ladder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
        outs = [run.communicate(timeout=300) for run in runs]
        for run, (_, err) in zip(runs, outs):
            if run.returncode != 0:
                print("# " + err.replace("\n", "\n# "))
        check(all(run.returncode == 0 for run in runs), "both desks ran the ladder")
        done = [json.loads(out or "{}") for out, _ in outs]
        taken = [d.get("cases", 0) for d in done]
        check(sum(taken) == plan["cases"],
              f"the desks took {taken} of the {plan['cases']} cases: each once")
        twice = psql(shared, "SELECT COUNT(*) FROM (SELECT case_id FROM activity"
                             " WHERE kind = 'task' GROUP BY case_id, channel"
                             " HAVING COUNT(*) > 1) t")
        calls = psql(shared, "SELECT COUNT(*) FROM (SELECT plan_key FROM call_attempt"
                             " WHERE plan_key IS NOT NULL GROUP BY plan_key"
                             " HAVING COUNT(*) > 1) t")
        check(twice == "0" and calls == "0",
              f"no task written twice ({twice}), no call planned twice ({calls})")
    finally:
        if stand_in is not None:
            stand_in.terminate()
            stand_in.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"1..{len(results)}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
