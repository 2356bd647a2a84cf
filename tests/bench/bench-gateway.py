#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SMS throughput (issue 4): DD_BENCH_MESSAGES (default 10,000) personalised messages rendered
(`campaign create`) and handed to the SMSAPI stand-in on loopback by `campaign run` with at most
4 connections. Goal: >= 1,000 messages/s. "Memory flat": the sender's RSS, sampled while it
sends, stays under 40 MiB whatever the campaign's size: messages are claimed one by one, never
loaded as a whole; what grows early in a run is SQLite's page cache, capped at 4 MiB by
`campaign run` (PRAGMA cache_size; docs/PERFORMANCE.md, "The sender's memory"). And every
message sent exactly once: none left queued or "sending" in the office's database, none
accepted twice by the stand-in ("delivered" ones count as sent: a run longer than the 60 s
report poll has some; docs/PERFORMANCE.md, "The 100 messages that looked unsent")."""

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

CLI = os.environ["DD_CLI"]
STAND_IN = os.environ["DD_SMSAPI_STAND_IN"]
TOKEN = "bench-token"
WANTED = int(os.environ.get("DD_BENCH_MESSAGES", "10000"))


def run_campaign(tmp, wanted, label):
    db = os.path.join(tmp, f"{label}.db")
    # the demo office gives ~1.1 numbers per debtor
    debtors = max(10, int(wanted / 1.12))
    subprocess.run([CLI, "demo-office", "--debtors", str(debtors), "--database", db],
                   check=True, stdout=subprocess.DEVNULL)
    start = time.monotonic()
    out = subprocess.run([CLI, "campaign", "create", "--database", db, "--name", label,
                          "--hold-out", "0",
                          "--sender", "Windykacja", "--plain",
                          "--text", "{name}, faktura {invoice} na {amount} czeka od {due_date}."],
                         check=True, capture_output=True, text=True).stdout
    render_s = time.monotonic() - start
    stand_in = subprocess.Popen([STAND_IN, "--token", TOKEN], stdout=subprocess.PIPE, text=True)
    url = stand_in.stdout.readline().strip()
    try:
        env = dict(os.environ, DD_SMS_TOKEN=TOKEN)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        sender = subprocess.Popen([CLI, "campaign", "run",
                                   "--database", db, "--gateway", "smsapi", "--gateway-url", url,
                                   "--connections", "4", "--rate", "100000",
                                   "--no-contact-policy"],
                                  env=env, stdout=subprocess.DEVNULL)
        samples = []
        while sender.poll() is None:
            try:
                with open(f"/proc/{sender.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            samples.append((time.monotonic() - start, int(line.split()[1])))
            except OSError:
                pass
            time.sleep(0.05)
        send_s = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        first = [kib for t, kib in samples if t <= send_s / 4] or [1]
        rest = [kib for t, kib in samples if t > send_s / 4] or first
        rss_kib = (max(first), max(rest))
        with urllib.request.urlopen(url + "_stand-in/state") as answer:
            state = json.load(answer)
    finally:
        stand_in.terminate()
        stand_in.wait()
    n = len(state["accepted"])
    twice = n - len({a["idx"] for a in state["accepted"]})
    # what the office's database says was left: "delivered" messages were sent too (a run
    # longer than the report poll, 60 s, has asked SMSAPI about 100 of them a minute)
    with sqlite3.connect(db) as con:
        states = dict(con.execute("SELECT state, COUNT(*) FROM message GROUP BY state"))
        total = sum(states.values())
    sent = states.get("sent", 0) + states.get("delivered", 0)
    left = total - sent
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{label}: {out.strip()}; rendered and queued in {render_s:.2f} s; "
          f"sent {n} in {send_s:.2f} s = {n / send_s:.0f} messages/s; "
          f"sender CPU {cpu:.2f} s; RSS peak {rss_kib[0] / 1024:.1f} MiB in the first quarter, "
          f"{rss_kib[1] / 1024:.1f} MiB after; "
          f"max requests at once {state['max_open_requests']}, "
          f"connections {state['connections'] - 1}; "
          f"of {total} messages sent {sent} ({states.get('delivered', 0)} reported delivered "
          f"by the report poll), left {left} {sorted(states.items())}, accepted twice {twice}")
    # minus the one this script opened to read the stand-in's state
    return n, n / send_s, rss_kib, state["connections"] - 1, left == 0 and twice == 0


def main():
    tmp = tempfile.mkdtemp(prefix="dd-bench-gateway-")
    try:
        small = run_campaign(tmp, WANTED // 5, "small")
        full = run_campaign(tmp, WANTED, "full")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    peak = max(full[2]) / 1024
    ok = full[1] >= 1000 and full[3] <= 4 and peak < 40 and small[4] and full[4]
    print("GOAL " + ("MET" if ok else "NOT MET") +
          ": >= 1000 messages/s, <= 4 connections, memory flat (peak RSS < 40 MiB), "
          "every message sent exactly once")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
