#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The e-mail summary over real SMTP: `dunning-desk-cli report email` against aiosmtpd servers
started here on 127.0.0.1 — a plain one, one that refuses the login, one that needs STARTTLS
and a login, one with TLS from the start (a throw-away certificate) — and an address where
nothing listens. Each received message is parsed back: its headers, the PDF and the CSV attached.
A send that failed stays in the outbox and goes out on a later `report email retry`. Prints TAP."""

import email
import email.policy
import os
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

CLI = os.environ["DD_CLI"]
results = []


def check(ok, what):
    what = " ".join(what.split())   # one TAP line, whatever the messages quoted
    results.append((bool(ok), what))
    print(("ok" if ok else "not ok") + f" {len(results)} - {what}", flush=True)


class Saver:
    """Keeps every message the server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def authenticator(password):
    def check_login(server, session, envelope, mechanism, auth_data):
        ok = (getattr(auth_data, "login", None) == b"office" and
              getattr(auth_data, "password", None) == password.encode())
        return AuthResult(success=ok, handled=False)
    return check_login


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(handler, **kwargs):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, port


def cli(*args, stdin=None, env=None):
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env)


def query(db, sql, params=()):
    """The rows of @sql on the office @db: a SQLite file, or a shared database (psql)."""
    if not db.startswith("postgresql:"):
        with sqlite3.connect(db) as c:
            return c.execute(sql, params).fetchall()
    for p in params:
        sql = sql.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
    out = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                          db, "-c", sql], check=True, capture_output=True, text=True).stdout
    return [tuple(None if v == "" else int(v) if v.lstrip("-").isdigit() else v
                  for v in line.split("\x1f")) for line in out.splitlines() if line]


def outbox(db):
    return query(db, "SELECT state, attempts, next_attempt_at, last_error FROM mail_outbox"
                     " ORDER BY id")


def main():
    tmp = tempfile.mkdtemp(prefix="dd-mail-")
    db = os.path.join(tmp, "office.db")
    r = cli("demo-office", "--debtors", "60", "--locale", "pl", "--database", db)
    check(r.returncode == 0, "demo office made " + r.stderr.strip())
    base_uri = os.environ.get("DD_TEST_POSTGRESQL")
    if base_uri:
        # the same on the shared database (tests/run-with-postgresql.sh): the office copied in
        subprocess.run(["psql", "-X", "-q", base_uri, "-c", "CREATE DATABASE mail"], check=True)
        shared = "postgresql:///mail" + base_uri[base_uri.index("?"):]
        r = cli("migrate", "--database", db, "--to", shared)
        check(r.returncode == 0, "the office copied into PostgreSQL " + r.stderr.strip())
        db = shared

    # 1. a plain server: the campaign report's summary with its PDF and CSV
    plain = Saver()
    controller, port = start(plain)
    r = cli("report", "email", "campaign", "--database", db, "--server", "127.0.0.1",
            "--port", str(port), "--security", "none", "--sender", "biuro@kancelaria.pl",
            "--recipient", "szef@kancelaria.pl", "--recipient", "ksiegowa@kancelaria.pl")
    check(r.returncode == 0, f"summary sent (exit {r.returncode}: {r.stderr.strip()})")
    check(len(plain.messages) == 1, "the server received one message")
    if plain.messages:
        mail_from, rcpts, content = plain.messages[0]
        check(mail_from == "biuro@kancelaria.pl", "envelope sender " + mail_from)
        check(sorted(rcpts) == ["ksiegowa@kancelaria.pl", "szef@kancelaria.pl"],
              "both recipients " + ",".join(rcpts))
        msg = email.message_from_bytes(content, policy=email.policy.default)
        check(msg["From"] == "biuro@kancelaria.pl", "From header")
        check("szef@kancelaria.pl" in str(msg["To"]) and "ksiegowa@kancelaria.pl" in str(msg["To"]),
              "To header names both")
        check("Campaign results" in str(msg["Subject"]), "subject " + str(msg["Subject"]))
        check(msg["Date"] is not None and msg["Message-ID"] is not None, "Date and Message-ID")
        parts = {p.get_filename(): p for p in msg.iter_attachments()}
        pdf = [p for n, p in parts.items() if n and n.endswith(".pdf")]
        csv = [p for n, p in parts.items() if n and n.endswith(".csv")]
        check(len(pdf) == 1 and pdf[0].get_content_type() == "application/pdf" and
              pdf[0].get_content().startswith(b"%PDF-"), "a PDF is attached")
        check(len(csv) == 1 and len(csv[0].get_content()) > 0, "a CSV is attached")
        if pdf:
            path = os.path.join(tmp, "got.pdf")
            with open(path, "wb") as f:
                f.write(pdf[0].get_content())
            text = subprocess.run(["pdftotext", path, "-"], capture_output=True,
                                  text=True).stdout
            check("Campaign results" in text, "the PDF is the campaign report")
        body = msg.get_body(preferencelist=("plain",)).get_content()
        check("Campaign results" in body and "attached" in body, "the body has the figures")
    check(outbox(db)[0][0] == "sent", "the outbox row is sent")

    # 2. a server that refuses the login: a clear error, the summary waits in the outbox
    refusing = Saver()
    c2, port2 = start(refusing, authenticator=authenticator("right"), auth_require_tls=False)
    r = cli("report", "email", "ageing", "--database", db, "--server", "127.0.0.1",
            "--port", str(port2), "--security", "none", "--user", "office",
            "--password-stdin", "--sender", "biuro@kancelaria.pl",
            "--recipient", "szef@kancelaria.pl", stdin="wrong\n")
    check(r.returncode == 1, f"refused login fails (exit {r.returncode})")
    check("refused the login" in r.stderr, "says the login was refused: " + r.stderr.strip())
    check(not refusing.messages, "nothing was delivered")
    rows = outbox(db)
    check(len(rows) == 2 and rows[1][0] == "queued" and rows[1][1] == 1 and
          rows[1][2] > time.time() + 30 and "refused" in (rows[1][3] or ""),
          f"the summary is kept for a later attempt {rows[1:]}")

    # 3. nobody listening: unreachable, the summary waits too
    dead = free_port()
    r = cli("report", "email", "promises", "--database", db, "--server", "127.0.0.1",
            "--port", str(dead), "--security", "none", "--sender", "biuro@kancelaria.pl",
            "--recipient", "szef@kancelaria.pl")
    check(r.returncode == 1 and "Cannot reach" in r.stderr,
          "unreachable server said: " + r.stderr.strip())
    check([row[0] for row in outbox(db)] == ["sent", "queued", "queued"], "two wait")

    # 4. retry: not before the back-off, then (with --all) through STARTTLS with the right login
    cert = os.path.join(tmp, "cert.pem")
    key = os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    secure = Saver()
    c3, port3 = start(secure, tls_context=context, require_starttls=True,
                      authenticator=authenticator("right"))
    common = ["--database", db, "--server", "127.0.0.1", "--port", str(port3), "--security",
              "starttls", "--ca-file", cert, "--user", "office", "--password-stdin",
              "--sender", "biuro@kancelaria.pl", "--recipient", "szef@kancelaria.pl", "--json"]
    r = cli("report", "email", "retry", *common, stdin="right\n")
    check(r.returncode == 0 and '"sent" : 0' in r.stdout and '"waiting" : 2' in r.stdout,
          "nothing is retried before its back-off: " + r.stdout.replace("\n", " "))
    r = cli("report", "email", "retry", "--all", *common, stdin="right\n")
    check(r.returncode == 0 and '"sent" : 2' in r.stdout,
          "retry --all sends both over STARTTLS: " + r.stdout.replace("\n", " ") + r.stderr)
    check(len(secure.messages) == 2, "the STARTTLS server received them")
    subjects = sorted(str(email.message_from_bytes(m[2], policy=email.policy.default)["Subject"])
                      for m in secure.messages)
    check(any("Ageing" in s for s in subjects) and any("declarations" in s for s in subjects),
          "the two waiting summaries: " + "; ".join(subjects))
    check([row[0] for row in outbox(db)] == ["sent", "sent", "sent"], "nothing left waiting")

    # 5. STARTTLS with a certificate nobody trusts: refused, with the reason
    r = cli("report", "email", "test", "--server", "127.0.0.1", "--port", str(port3),
            "--security", "starttls", "--user", "office", "--password-stdin",
            "--sender", "biuro@kancelaria.pl", "--recipient", "szef@kancelaria.pl",
            stdin="right\n")
    check(r.returncode == 1 and "secure connection" in r.stderr,
          "an untrusted certificate is refused: " + r.stderr.strip())

    # 6. TLS from the start (smtps) and the test e-mail
    tls = Saver()
    c4, port4 = start(tls, ssl_context=context)
    r = cli("report", "email", "test", "--server", "127.0.0.1", "--port", str(port4),
            "--security", "tls", "--ca-file", cert, "--sender", "biuro@kancelaria.pl",
            "--recipient", "szef@kancelaria.pl")
    check(r.returncode == 0 and len(tls.messages) == 1, "test e-mail over TLS: " + r.stderr)
    if tls.messages:
        msg = email.message_from_bytes(tls.messages[0][2], policy=email.policy.default)
        check(str(msg["Subject"]) == "Dunning Desk: test e-mail", "test subject")

    # 7. a bad address is refused before anything is sent
    r = cli("report", "email", "test", "--server", "127.0.0.1", "--port", str(port), "--security",
            "none", "--sender", "biuro@kancelaria.pl", "--recipient", "szef kancelaria.pl")
    check(r.returncode == 1 and "not an e-mail address" in r.stderr,
          "bad recipient refused: " + r.stderr.strip())

    # 8. the schedule: a campaign completed today gets its summary once, the weekly one is due
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    query(db, "INSERT INTO campaign (name, kind, state, created_at, updated_at, finished_at)"
              " VALUES ('Grudzień', 'sms', 'completed', ?, ?, ?)", (now, now, now))
    cid = query(db, "SELECT MAX(id) FROM campaign")[0][0]
    plain.messages.clear()
    base = ["--database", db, "--server", "127.0.0.1", "--port", str(port), "--security", "none",
            "--sender", "biuro@kancelaria.pl", "--recipient", "szef@kancelaria.pl", "--json"]
    r = cli("report", "email", "due", *base)
    check(r.returncode == 0 and '"sent" : 2' in r.stdout,
          "due: the campaign's and the weekly summary: " + r.stdout.replace("\n", " ") + r.stderr)
    subjects = [str(email.message_from_bytes(m[2], policy=email.policy.default)["Subject"])
                for m in plain.messages]
    check(any("Campaign: Grudzień" in s for s in subjects) and any("Period:" in s for s in subjects),
          "their subjects: " + "; ".join(subjects))
    r = cli("report", "email", "due", *base)
    n = query(db, "SELECT COUNT(*) FROM mail_outbox WHERE kind = ?", (f"campaign-{cid}",))[0][0]
    check(r.returncode == 0 and n == 1, f"the campaign's summary is not sent twice ({n})")

    for c in (controller, c2, c3, c4):
        c.stop()
    print(f"1..{len(results)}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
