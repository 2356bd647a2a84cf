#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No debtor called twice inside the interval, none forgotten: a voice campaign is run by
`dunning-desk-cli campaign run ID --line …` against a sipp callee on 127.0.0.1 (some numbers
ring without an answer, some are busy, the others answer and hear a short flow), and the
caller is killed with SIGKILL at random moments, at least 20 times, and restarted until it
finishes on its own. Then, from the callee's own trace (every INVITE it received) and from the
database: calls to one number are always more than the interval apart, every INVITE the callee
saw was claimed in the database first, and every number reached its goal or its last attempt.
Prints TAP."""

import ctypes
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime

CLI = os.environ["DD_CLI"]
MIN_KILLS = 20
INTERVAL = 3
MAX_ATTEMPTS = 3

results = []


def die_with_test():
    """In sipp's child before exec: SIGKILL when this test dies, however it dies."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def check(ok, what):
    results.append((bool(ok), what))
    print(("ok" if ok else "not ok") + f" {len(results)} - {what}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FLOW = """{
  "format": 1, "name": "Krótkie przypomnienie", "language": "pl", "start": "hello",
  "nodes": [
    { "id": "hello", "type": "play", "params": { "text": "Dzień dobry." },
      "exits": { "done": "bye" } },
    { "id": "bye", "type": "hang-up" }
  ]
}
"""

RESPONSE = """<send><![CDATA[
SIP/2.0 {code}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
"""

# last digit 0-3: rings until cancelled; 4-5: busy; 6-9: answers, says a short word and waits
# for our BYE (an answered line with no sound at all would be dead air, called again)
SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="crash-callee">
<recv request="INVITE">
<action>
<ereg regexp="INVITE sip:[0-9]*[0123]@" search_in="msg" check_it="false" assign_to="ring"/>
<ereg regexp="INVITE sip:[0-9]*[45]@" search_in="msg" check_it="false" assign_to="busy"/>
</action>
</recv>
<nop next="busy" test="busy"/>
""" + RESPONSE.format(code="180 Ringing") + """<nop next="ring" test="ring"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:callee@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000

]]></send>
<recv request="ACK"/>
@VOICE@
<recv request="BYE"/>
<send next="end"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<label id="ring"/>
<recv request="CANCEL"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
""" + RESPONSE.format(code="487 Request Terminated") + """<recv request="ACK" next="end"/>
<label id="busy"/>
""" + RESPONSE.format(code="486 Busy Here") + """<recv request="ACK" next="end"/>
<label id="end"/>
</scenario>
"""


def ulaw(sample):
    """One 16-bit sample in G.711 mu-law."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = max(magnitude.bit_length() - 8, 0)
    return ~(sign | (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0f)) & 0xff


def debtor_voice():
    """Raw mu-law for sipp's rtp_stream: 0.2 s of quiet, a word (0.3 s of 400 Hz), quiet; 8 s."""
    import math
    return bytes(ulaw(int(6000 * math.sin(2 * math.pi * 400 * i / 8000)) if 1600 <= i < 4000 else 0)
                 for i in range(8 * 8000))


def invites(trace):
    """(number, time, call-id) of every INVITE the callee received, retransmissions once."""
    seen = {}
    text = open(trace, encoding="latin-1").read()
    for block in text.split("----------------------------------------------- ")[1:]:
        head, _, message = block.partition("\n")
        if "message received" not in message:
            continue
        m = re.search(r"^INVITE sip:(\d+)@", message, re.M)
        c = re.search(r"^Call-ID:\s*(\S+)", message, re.M | re.I)
        if m is None or c is None or c.group(1) in seen:
            continue
        when = datetime.strptime(head.strip().replace("\t", " "), "%Y-%m-%d %H:%M:%S.%f")
        seen[c.group(1)] = ("+" + m.group(1), when.timestamp())
    return [(n, t, cid) for cid, (n, t) in seen.items()]


def main():
    seed = int(os.environ.get("DD_CRASH_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    print(f"# seed {seed} (DD_CRASH_SEED to repeat)")
    if shutil.which("sipp") is None:
        print("1..0 # SKIP sipp (sip-tester) is not installed")
        return 0
    tmp = tempfile.mkdtemp(prefix="dd-voice-crash-")
    db = os.path.join(tmp, "office.db")
    sipp = None
    try:
        flow = os.path.join(tmp, "flow.json")
        scenario = os.path.join(tmp, "callee.xml")
        trace = os.path.join(tmp, "invites.log")
        with open(flow, "w") as f:
            f.write(FLOW)
        voice = os.path.join(tmp, "voice.ul")
        with open(voice, "wb") as f:
            f.write(debtor_voice())
        with open(scenario, "w") as f:
            f.write(SCENARIO.replace("@VOICE@", '<nop><action><exec rtp_stream="%s,-1,0"/>'
                                                '</action></nop>' % voice))
        subprocess.run([CLI, "demo-office", "--debtors", "70", "--seed", "15", "--database", db],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([CLI, "campaign", "create", "--database", db, "--channel", "voice",
                        "--hold-out", "0",
                        "--name", "Crash", "--flow", flow, "--attempts", str(MAX_ATTEMPTS),
                        "--per-day", "0", "--interval", str(INTERVAL), "--concurrency", "4",
                        "--ring-timeout", "1"], check=True, stdout=subprocess.DEVNULL)
        # the command line's refusals, before anything is called
        bad = subprocess.run([CLI, "campaign", "create", "--database", db, "--channel", "voice",
                              "--name", "No flow"], capture_output=True, text=True)
        check(bad.returncode == 2 and "--flow" in bad.stderr,
              "campaign create --channel voice without --flow exits 2 naming it")
        bad = subprocess.run([CLI, "campaign", "run", "1", "--database", db],
                             capture_output=True, text=True)
        check(bad.returncode == 2 and "--line" in bad.stderr,
              "campaign run of a voice campaign without --line exits 2 naming it")

        con = sqlite3.connect(db)
        numbers = {n for (n,) in con.execute("SELECT e164 FROM call_attempt WHERE campaign_id = 1")}
        con.close()
        check(len(numbers) >= 50, f"the campaign calls {len(numbers)} numbers")

        port = free_port()
        sipp = subprocess.Popen(["sipp", "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", str(port),
                                 "-mp", str(free_port()), "-sf", scenario, "-nostdin",
                                 "-trace_msg", "-message_file", trace],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                preexec_fn=die_with_test)
        time.sleep(0.5)
        command = [CLI, "campaign", "run", "1", "--database", db, "--no-contact-policy",
                   "--line", f"sip:office@127.0.0.1:{port}", "--caller-id", "48221110001"]
        kills = 0
        finished = False
        for _ in range(200):
            caller = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
            try:
                # the caller under the sanitizers on a busy machine dials its first number
                # about 1.8 s after it starts: kills up to 3 s land before and during calls
                caller.wait(timeout=rng.uniform(0.3, 3.0) if kills < MIN_KILLS + 2 else 300)
            except subprocess.TimeoutExpired:
                caller.send_signal(signal.SIGKILL)
                caller.wait()
                kills += 1
                continue
            err = caller.stderr.read()
            if caller.returncode != 0:
                print("# " + err.replace("\n", "\n# "))
            check(caller.returncode == 0, "the last run finished on its own")
            finished = True
            break
        check(finished, f"the campaign finished after {kills} kills")
        check(kills >= MIN_KILLS, f"the caller was killed mid-campaign {kills} times")

        con = sqlite3.connect(db)
        rows = con.execute("SELECT e164, state, result, started_at, attempt_no FROM call_attempt"
                           " WHERE campaign_id = 1 ORDER BY e164, attempt_no").fetchall()
        campaign_state = con.execute("SELECT state FROM campaign WHERE id = 1").fetchone()[0]
        con.close()
        check(campaign_state == "completed", f"the campaign is completed ({campaign_state})")
        open_rows = [r for r in rows if r[1] in ("scheduled", "dialing", "answered")]
        check(not open_rows, f"no attempt left open ({len(open_rows)})")
        unknown = sum(1 for r in rows if r[1] == "unknown")
        check(unknown >= 1, f"{unknown} attempts cut off by a kill were settled 'unknown'")

        by_number = {}
        for e164, state, result, started, attempt_no in rows:
            by_number.setdefault(e164, []).append((state, result, started, attempt_no))
        forgotten = [n for n in numbers
                     if not any(a[2] for a in by_number.get(n, []))
                     or not (any(a[1] == "heard" for a in by_number[n])
                             or len([a for a in by_number[n] if a[2]]) >= MAX_ATTEMPTS)]
        check(not forgotten, f"every number heard the flow or had its {MAX_ATTEMPTS} calls "
                             f"({len(forgotten)} forgotten: {forgotten[:5]})")

        def stamp(text):
            return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timestamp()

        too_soon = []
        for e164, attempts in by_number.items():
            starts = sorted(stamp(a[2]) for a in attempts if a[2])
            too_soon += [(e164, b - a) for a, b in zip(starts, starts[1:]) if b - a <= INTERVAL]
        check(not too_soon, f"the database: no number called twice within {INTERVAL} s "
                            f"({too_soon[:5]})")

        listed = json.loads(subprocess.run([CLI, "campaigns", "--database", db, "--json"],
                                           capture_output=True, text=True, check=True).stdout)
        check(listed[0]["kind"] == "voice" and listed[0]["calls_numbers"] == len(numbers)
              and listed[0]["calls_numbers_done"] == len(numbers),
              "campaigns --json counts the voice campaign's numbers")

        seen = invites(trace)
        called = {}
        for e164, when, _ in seen:
            called.setdefault(e164, []).append(when)
        check(len(seen) > 0, f"the callee received {len(seen)} INVITEs")
        too_soon = []
        for e164, times in called.items():
            times.sort()
            too_soon += [(e164, round(b - a, 3)) for a, b in zip(times, times[1:])
                         if b - a < INTERVAL]
        check(not too_soon, f"the callee: no number called twice within {INTERVAL} s "
                            f"({too_soon[:5]})")
        unclaimed = [n for n, times in called.items()
                     if len(times) > len([a for a in by_number.get(n, []) if a[2]])]
        check(not unclaimed, f"every INVITE the callee saw was claimed first ({unclaimed[:5]})")
        check(set(called) <= numbers, "the callee was called only at the campaign's numbers")
    finally:
        if sipp is not None:
            sipp.terminate()
            sipp.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"1..{len(results)}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
