#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nothing lost, nothing twice: a campaign of 2,000+ messages is sent by
`dunning-desk-cli campaign run` to the SMSAPI stand-in (a separate process), and the sender is
killed with SIGKILL at random moments and restarted, again and again, until it finishes on its
own. The stand-in must then hold every message of the campaign exactly once. Prints TAP."""

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
TOKEN = "crash-test-token"
MIN_MESSAGES = 2000

results = []


def check(ok, what):
    results.append((bool(ok), what))
    print(("ok" if ok else "not ok") + f" {len(results)} - {what}", flush=True)


def state(url):
    with urllib.request.urlopen(url + "_stand-in/state", timeout=30) as answer:
        return json.load(answer)


def main():
    seed = int(os.environ.get("DD_CRASH_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    print(f"# seed {seed} (DD_CRASH_SEED to repeat)")
    tmp = tempfile.mkdtemp(prefix="dd-crash-")
    db = os.path.join(tmp, "office.db")
    stand_in = None
    try:
        subprocess.run([CLI, "demo-office", "--debtors", "1900", "--database", db],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([CLI, "campaign", "create", "--database", db, "--name", "Crash",
                        "--hold-out", "0",
                        "--sender", "Windykacja",
                        "--text", "{name}, faktura {invoice} na {amount} czeka od {due_date}."],
                       check=True, stdout=subprocess.DEVNULL)
        con = sqlite3.connect(db)
        expected = {k for (k,) in con.execute(
            "SELECT idempotency_key FROM message WHERE campaign_id = 1")}
        con.close()
        check(len(expected) >= MIN_MESSAGES, f"the campaign has {len(expected)} messages")

        stand_in = subprocess.Popen([STAND_IN, "--token", TOKEN, "--answer-ms", "3"],
                                    stdout=subprocess.PIPE, text=True)
        url = stand_in.stdout.readline().strip()
        env = dict(os.environ, DD_SMS_TOKEN=TOKEN)
        command = [CLI, "campaign", "run", "--database", db, "--gateway", "smsapi",
                   "--gateway-url", url, "--connections", "4", "--rate", "400",
                   "--no-contact-policy"]

        kills = 0
        finished = False
        for _ in range(80):
            sender = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
            try:
                # the first kills come early, so that the campaign (5 s of sending at the
                # least) cannot end before it was killed three times, whatever the seed
                sender.wait(timeout=rng.uniform(0.3, 1.0 if kills < 3 else 2.5))
            except subprocess.TimeoutExpired:
                sender.send_signal(signal.SIGKILL)
                sender.wait()
                kills += 1
                continue
            err = sender.stderr.read()
            if sender.returncode != 0:
                print("# " + err.replace("\n", "\n# "))
            check(sender.returncode == 0, "the last run finished on its own")
            finished = True
            break
        check(finished, f"the campaign finished after {kills} kills")
        check(kills >= 3, f"the sender was killed mid-campaign ({kills} times)")

        got = state(url)
        keys = [a["idx"] for a in got["accepted"]]
        check(len(keys) == len(set(keys)), f"no message accepted twice ({len(keys)} accepted)")
        check(set(keys) == expected,
              f"every message accepted ({len(expected - set(keys))} missing, "
              f"{len(set(keys) - expected)} unknown)")
        # a repeat after a crash is refused by idx: at most the requests in flight per kill
        check(got["duplicates"] <= kills * 4,
              f"{got['duplicates']} repeats refused by idx, at most 4 per kill")
        check(got["max_open_requests"] <= 4,
              f"at most 4 requests at once ({got['max_open_requests']})")

        con = sqlite3.connect(db)
        states = dict(con.execute("SELECT state, COUNT(*) FROM message WHERE campaign_id = 1"
                                  " GROUP BY state"))
        campaign_state = con.execute("SELECT state FROM campaign WHERE id = 1").fetchone()[0]
        con.close()
        check(set(states) <= {"sent", "delivered"} and sum(states.values()) == len(expected),
              f"every message recorded as sent: {states}")
        check(campaign_state == "completed", f"the campaign is completed ({campaign_state})")
    finally:
        if stand_in is not None:
            stand_in.terminate()
            stand_in.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"1..{len(results)}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
