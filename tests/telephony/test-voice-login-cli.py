#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A voice campaign whose line refuses its login, on the command line: `dunning-desk-cli
campaign run ID --line …` with a wrong DD_SIP_PASSWORD against hostile-peer.py (every INVITE
challenged until it carries the right digest) stops at the first refusal with exit status 1
and says why; the campaign is paused ("sip-auth") and no debtor's attempt is used. Run again
with the right password, it resumes and calls every debtor once. Prints TAP."""

import ctypes
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

CLI = os.environ["DD_CLI"]
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile-peer.py")
results = []

FLOW = """{
  "format": 1, "name": "Krótkie przypomnienie", "language": "pl", "start": "hello",
  "nodes": [
    { "id": "hello", "type": "play", "params": { "text": "Dzień dobry." },
      "exits": { "done": "bye" } },
    { "id": "bye", "type": "hang-up" }
  ]
}
"""


def die_with_test():
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG


def check(ok, what):
    results.append((bool(ok), what))
    print(("ok" if ok else "not ok") + f" {len(results)} - {what}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    tmp = tempfile.mkdtemp(prefix="dd-voice-login-")
    db = os.path.join(tmp, "office.sqlite")
    flow = os.path.join(tmp, "flow.json")
    log = os.path.join(tmp, "peer.log")
    with open(flow, "w") as f:
        f.write(FLOW)
    subprocess.run([CLI, "demo-office", "--debtors", "12", "--seed", "3", "--database", db],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([CLI, "campaign", "create", "--database", db, "--channel", "voice",
                    "--hold-out", "0", "--name", "Login", "--flow", flow, "--attempts", "1",
                    "--per-day", "0", "--interval", "1", "--concurrency", "2",
                    "--ring-timeout", "3"], check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    before = con.execute("SELECT id, attempt_no, scheduled_at FROM call_attempt"
                         " WHERE campaign_id = 1 ORDER BY id").fetchall()
    con.close()
    check(len(before) >= 5, f"the campaign calls {len(before)} numbers")

    port = free_port()
    peer = subprocess.Popen(["python3", PEER, str(port), log, "login:right"],
                            stdout=subprocess.DEVNULL, preexec_fn=die_with_test)
    try:
        for _ in range(200):
            if os.path.exists(log):
                break
            time.sleep(0.05)
        command = [CLI, "campaign", "run", "1", "--database", db, "--no-contact-policy",
                   "--line", f"sip:office@127.0.0.1:{port}"]
        env = dict(os.environ, DD_SIP_PASSWORD="wrong", LANGUAGE="en")
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        sys.stdout.write("".join("# " + l + "\n" for l in run.stderr.splitlines()[-3:]))
        check(run.returncode == 1, f"a refused login exits 1 (got {run.returncode})")
        check("paused" in run.stderr and "refused its user name or password" in run.stderr
              and "401" in run.stderr, "it says the campaign is paused and why")
        con = sqlite3.connect(db)
        state = con.execute("SELECT state, state_reason FROM campaign WHERE id = 1").fetchone()
        check(state == ("paused", "sip-auth"), f"the campaign is paused for the line ({state})")
        listed = json.loads(subprocess.run([CLI, "campaigns", "--database", db, "--json"],
                                           capture_output=True, text=True, check=True).stdout)
        check(listed[0]["state"] == "paused" and listed[0]["state_reason"] == "sip-auth",
              "campaigns --json gives the reason")
        after = con.execute("SELECT id, attempt_no, scheduled_at FROM call_attempt"
                            " WHERE campaign_id = 1 ORDER BY id").fetchall()
        started = con.execute("SELECT COUNT(*) FROM call_attempt WHERE campaign_id = 1"
                              " AND (state <> 'scheduled' OR started_at IS NOT NULL)").fetchone()[0]
        con.close()
        check(after == before and started == 0, "every attempt is as it was")
        with open(log) as f:
            invites = sum(1 for l in f if " INVITE " in l)
        check(invites <= 2 * 3, f"no call after the first refusals ({invites} INVITEs)")

        env["DD_SIP_PASSWORD"] = "right"
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        check(run.returncode == 0, f"with the right password it runs to the end (got {run.returncode})")
        check("resumes" in run.stdout, "it says the campaign resumes")
        con = sqlite3.connect(db)
        rows = con.execute("SELECT e164, COUNT(*), SUM(started_at IS NOT NULL), MAX(state),"
                           " MAX(sip_status) FROM call_attempt WHERE campaign_id = 1"
                           " GROUP BY e164").fetchall()
        state = con.execute("SELECT state FROM campaign WHERE id = 1").fetchone()[0]
        con.close()
        check(len(rows) == len(before) and all(r[1] == 1 and r[2] == 1 and r[3] == "busy"
                                               and r[4] == 486 for r in rows),
              "every debtor called once (busy, as the peer answers)")
        check(state == "completed", f"the campaign is completed ({state})")
    finally:
        peer.kill()
        peer.wait()
        subprocess.run(["rm", "-rf", tmp])
    print(f"1..{len(results)}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
