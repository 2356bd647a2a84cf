#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile SIP callee on 127.0.0.1 for test-sip-hostile: raw UDP, each INVITE answered as
its Request-URI's user part asks (endless digest challenges, early media then busy, a BYE
before our ACK, DTMF floods, RTP from another port or of another payload type). Usage:
hostile-peer.py PORT LOG [NUMBERS]; every request's first line is written to LOG, after
"ready". NUMBERS: how a number (a user part of digits, as a voice campaign dials) is answered:
"dtmfflood" or "dtmfstorm" (whole events, each a digit), "deadair" (answers, sends no RTP),
"otherpt" (only RTP of a payload type not agreed), "silence" (PCMU of digital silence), "voice"
(PCMU, a short word every 3 s), "voicekeys" (the same, and key 1 after 1.5 s), or "login:PASSWORD" — a line whose INVITEs are challenged (401) until they carry
a digest of user "office" and PASSWORD, then answered 486 Busy Here."""
import hashlib, math, re, socket, sys, time, random, struct, threading

port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
log = open(sys.argv[2], "a", buffering=1) if len(sys.argv) > 2 else sys.stderr
log.write("ready\n")
invites = 0
realm_n = 0
numbers = sys.argv[3] if len(sys.argv) > 3 else "blackhole"

def md5(text):
    return hashlib.md5(text.encode()).hexdigest()

def login_ok(msg, password):
    auth = hdr(msg, "Authorization")
    if auth is None:
        return False
    f = dict(re.findall(r'(\w+)="?([^",]*)"?', auth))
    ha1 = md5("%s:%s:%s" % (f.get("username"), f.get("realm"), password))
    ha2 = md5("INVITE:%s" % f.get("uri"))
    return f.get("username") == "office" and f.get("response") == md5("%s:%s:%s" % (ha1, f.get("nonce"), ha2))

def hdr(msg, name):
    m = re.search(r"^" + name + r":\s*(.*?)\r$", msg, re.M | re.I)
    return m.group(1) if m else None

def hdrs(msg, name):
    return re.findall(r"^(" + name + r":.*?)\r$", msg, re.M | re.I)

def reply(msg, addr, code, reason, extra="", body="", tag="peer1"):
    to = hdr(msg, "To")
    if ";tag=" not in to and code > 100:
        to += ";tag=" + tag
    lines = ["SIP/2.0 %d %s" % (code, reason)] + hdrs(msg, "Via") + [
        "From: " + hdr(msg, "From"), "To: " + to, "Call-ID: " + hdr(msg, "Call-ID"),
        "CSeq: " + hdr(msg, "CSeq")]
    if extra:
        lines += extra.split("\r\n")
    if body:
        lines += ["Content-Type: application/sdp"]
    lines += ["Content-Length: %d" % len(body), "", body]
    s.sendto("\r\n".join(lines).encode(), addr)

rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind(("127.0.0.1", 0))
rport = rtp.getsockname()[1]
SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
       "a=fmtp:101 0-15\r\n" % rport)

def their_rtp(msg):
    body = msg.split("\r\n\r\n", 1)[1]
    m = re.search(r"m=audio (\d+)", body)
    return ("127.0.0.1", int(m.group(1)))

def rtp_pkt(pt, seq, ts, payload, marker=0, ssrc=0x1234):
    return struct.pack("!BBHII", 0x80, (marker << 7) | pt, seq & 0xffff, ts & 0xffffffff, ssrc) + payload

def ulaw(sample):
    """One 16-bit sample in G.711 mu-law."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = max(magnitude.bit_length() - 8, 0)
    return ~(sign | (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0f)) & 0xff

# 20 ms of PCMU: digital silence, and a 400 Hz sine loud enough to be a voice (a "word")
SILENCE = bytes([ulaw(0)]) * 160
WORD = bytes(ulaw(int(6000 * math.sin(2 * math.pi * 400 * i / 8000))) for i in range(160))

def media(mode, dest):
    seq = 0; ts = 0
    t0 = time.time()
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); other.bind(("127.0.0.1", 0))
    keyed = False; kseq = 0
    while time.time() - t0 < 20:
        seq += 1; ts += 160
        if mode in ("silence", "voice", "voicekeys"):
            # PCMU in the agreed payload type: digital silence throughout, or a person — after
            # 0.2 s of quiet a short word (0.3 s), again every 3 s; "voicekeys" also presses 1
            # (RFC 4733, its own stream) after 1.5 s
            t = time.time() - t0
            loud = mode != "silence" and 0.2 <= t % 3.0 < 0.5
            rtp.sendto(rtp_pkt(0, seq, ts, WORD if loud else SILENCE), dest)
            if mode == "voicekeys" and t >= 1.5 and not keyed:
                keyed = True
                for i in range(3):
                    kseq += 1
                    rtp.sendto(rtp_pkt(101, kseq, 48000, struct.pack("!BBH", 1, 0x80 | 10, 800),
                                       1 if i == 0 else 0, 0x5678), dest)
            time.sleep(0.02)
            continue
        if mode == "dtmfstorm":
            # a new digit every 2 ms, each a whole event (a start packet, then its end)
            ev = seq % 10
            rtp.sendto(rtp_pkt(101, seq, ts, struct.pack("!BBH", ev, 10, 80), 1), dest)
            rtp.sendto(rtp_pkt(101, seq, ts, struct.pack("!BBH", ev, 0x80 | 10, 160)), dest)
            time.sleep(0.002)
            continue
        if mode == "dtmfflood":
            # a new digit every packet, each with its own timestamp, end bit set
            ev = seq % 10
            rtp.sendto(rtp_pkt(101, seq, ts, struct.pack("!BBH", ev, 0x80 | 10, 160), 1), dest)
            time.sleep(0.001)
            continue
        if mode == "dtmfhuge":
            rtp.sendto(rtp_pkt(101, seq, 1000, struct.pack("!BBH", 5, 10, 0xffff)), dest)
        elif mode == "otherport":
            other.sendto(rtp_pkt(0, seq, ts, b"\x00" * 160), dest)
        elif mode == "otherpt":
            rtp.sendto(rtp_pkt(18, seq, ts, b"\x00" * 20), dest)
        time.sleep(0.02)

calls = {}
acked = set()   # (Call-ID, To tag) of our 200s that were acknowledged


def fork_extra(tag):
    """forkB comes through two proxies of ours that record their route (both this peer)"""
    extra = "Contact: <sip:p@127.0.0.1:%d>" % port
    if tag == "forkB":
        extra += "\r\nRecord-Route: <sip:rr1@127.0.0.1:%d;lr>, <sip:rr2@127.0.0.1:%d;lr>" % (port, port)
    return extra


def retransmit_200(msg, addr, tag):
    interval = 0.5
    t0 = time.time()
    while time.time() - t0 < 32:
        time.sleep(interval)
        if (hdr(msg, "Call-ID"), tag) in acked:
            return
        log.write("%.3f retransmit 200 %s\n" % (time.time(), tag))
        reply(msg, addr, 200, "OK", fork_extra(tag), body=SDP, tag=tag)
        interval = min(interval * 2, 4)


def request(msg, addr, method, cseq, body="", tag="peer1"):
    """An in-dialog request from the peer (to the caller's Contact)."""
    uri = re.search(r"<([^>]*)>", hdr(msg, "Contact")).group(1)
    lines = ["%s %s SIP/2.0" % (method, uri),
             "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s%d" % (port, method, random.randint(0, 1 << 30)),
             "From: " + hdr(msg, "To") + ";tag=" + tag, "To: " + hdr(msg, "From"),
             "Call-ID: " + hdr(msg, "Call-ID"), "CSeq: %d %s" % (cseq, method),
             "Contact: <sip:p@127.0.0.1:%d>" % port, "Max-Forwards: 70"]
    if body:
        lines += ["Content-Type: application/sdp"]
    lines += ["Content-Length: %d" % len(body), "", body]
    s.sendto("\r\n".join(lines).encode(), addr)


while True:
    data, addr = s.recvfrom(70000)
    msg = data.decode("latin-1")
    first = msg.split("\r\n", 1)[0]
    log.write("%.3f %s\n" % (time.time(), first))
    if first.startswith(("ACK", "BYE")):
        # which dialog: the To tag of an in-dialog request
        m = re.search(r";tag=([^;\s]+)", hdr(msg, "To") or "")
        to_tag = m.group(1) if m else ""
        log.write("%.3f dialog %s %s\n" % (time.time(), first.split()[0], to_tag))
        routes = re.findall(r"<sip:(rr\d)@", ",".join(hdrs(msg, "Route")))
        if routes:
            log.write("%.3f route %s %s %s\n" % (time.time(), first.split()[0], to_tag, " ".join(routes)))
        if first.startswith("ACK"):
            acked.add((hdr(msg, "Call-ID"), to_tag))
    if first.startswith("INVITE"):
        invites += 1
        mode = re.match(r"INVITE sip:([a-z0-9-]+)", first).group(1)
        if mode.isdigit():
            mode = numbers
        if mode.startswith("login:"):
            if login_ok(msg, mode[6:]):
                reply(msg, addr, 486, "Busy Here")
            else:
                reply(msg, addr, 401, "Unauthorized",
                      'WWW-Authenticate: Digest realm="dunning", nonce="n1", algorithm=MD5')
        elif mode == "authloop":
            realm_n += 1
            reply(msg, addr, 401, "Unauthorized",
                  'WWW-Authenticate: Digest realm="r%d", nonce="n%d", algorithm=MD5' % (realm_n, realm_n))
        elif mode == "authstale":
            realm_n += 1
            reply(msg, addr, 407, "Proxy Authentication Required",
                  'Proxy-Authenticate: Digest realm="r", nonce="n%d", stale=true, algorithm=MD5' % realm_n)
        elif mode == "early486":
            reply(msg, addr, 183, "Session Progress", body=SDP)
            time.sleep(0.5)
            reply(msg, addr, 486, "Busy Here")
        elif mode == "byebeforeack":
            reply(msg, addr, 200, "OK", "Contact: <sip:p@127.0.0.1:%d>" % port, body=SDP)
            c = hdr(msg, "Contact"); uri = re.search(r"<([^>]*)>", c).group(1)
            bye = "\r\n".join(["BYE %s SIP/2.0" % uri, "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKbye%d" % (port, invites),
                               "From: " + hdr(msg, "To") + ";tag=peer1", "To: " + hdr(msg, "From"),
                               "Call-ID: " + hdr(msg, "Call-ID"), "CSeq: 1 BYE", "Max-Forwards: 70", "Content-Length: 0", "", ""])
            s.sendto(bye.encode(), addr)
        elif mode in ("dtmfflood", "dtmfstorm", "dtmfhuge", "otherport", "otherpt", "deadair",
                      "silence", "voice", "voicekeys"):
            reply(msg, addr, 200, "OK", "Contact: <sip:p@127.0.0.1:%d>" % port, body=SDP)
            threading.Thread(target=media, args=(mode, their_rtp(msg)), daemon=True).start()
        elif mode == "blackhole":
            pass
        elif mode.startswith("badresp"):
            # responses we must not take: no Call-ID, a CSeq of another request, no Via, a
            # truncated one, and a 200 from another address; then it rings out
            reply(msg, addr, 100, "Trying")
            variants = (lambda t: re.sub(r"Call-ID:[^\r]*\r\n", "", t),
                        lambda t: re.sub(r"CSeq: \d+ INVITE", "CSeq: 99 INVITE", t),
                        lambda t: re.sub(r"Via:[^\r]*\r\n", "", t),
                        lambda t: t[:len(t) // 2])
            for broken in variants[int(mode[7:])::10] if mode[7:] else variants:
                To = hdr(msg, "To") + ";tag=bad"
                text = "\r\n".join(["SIP/2.0 200 OK"] + hdrs(msg, "Via") + [
                    "From: " + hdr(msg, "From"), "To: " + To, "Call-ID: " + hdr(msg, "Call-ID"),
                    "CSeq: " + hdr(msg, "CSeq"), "Contact: <sip:p@127.0.0.1:%d>" % port,
                    "Content-Type: application/sdp", "Content-Length: %d" % len(SDP), "", SDP])
                s.sendto(broken(text).encode(), addr)
            time.sleep(0.3)
            other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            other.bind(("127.0.0.1", 0))
            text = "\r\n".join(["SIP/2.0 486 Busy Here"] + hdrs(msg, "Via") + [
                "From: " + hdr(msg, "From"), "To: " + hdr(msg, "To") + ";tag=x",
                "Call-ID: " + hdr(msg, "Call-ID"), "CSeq: " + hdr(msg, "CSeq"), "Content-Length: 0", "", ""])
            other.sendto(text.encode(), addr)
            other.close()
        elif mode == "hugeresp":
            # a 180 and a 200 each with a 60 KB header
            junk = "X-Junk: " + "x" * 60000
            reply(msg, addr, 180, "Ringing", junk)
            reply(msg, addr, 200, "OK", "Contact: <sip:p@127.0.0.1:%d>\r\n%s" % (port, junk), body=SDP)
            threading.Thread(target=media, args=("otherport", their_rtp(msg)), daemon=True).start()
        elif mode == "g729only":
            reply(msg, addr, 200, "OK", "Contact: <sip:p@127.0.0.1:%d>" % port,
                  body=SDP.replace("RTP/AVP 0 101", "RTP/AVP 18").replace("a=rtpmap:0 PCMU/8000", "a=rtpmap:18 G729/8000"))
        elif mode == "late200":
            calls[hdr(msg, "Call-ID")] = (mode, msg, addr)
            reply(msg, addr, 180, "Ringing")
        elif mode == "fork200":
            # a forked INVITE answered thrice (three To tags); like a real UAS, each 200 is
            # retransmitted (T1 doubling up to T2) until its ACK comes, for 32 s at most
            for t in ("forkA", "forkB", "forkC", "forkC"):   # forkC's duplicated on the way
                reply(msg, addr, 200, "OK", fork_extra(t), body=SDP, tag=t)
            for t in ("forkA", "forkB", "forkC"):
                threading.Thread(target=retransmit_200, args=(msg, addr, t), daemon=True).start()
            threading.Thread(target=media, args=("otherport", their_rtp(msg)), daemon=True).start()
        elif mode == "forklate":
            # the second fork answers a second late, when the caller already hung up the first
            reply(msg, addr, 200, "OK", fork_extra("forkA"), body=SDP, tag="forkA")
            def late(msg=msg, addr=addr):
                time.sleep(1.0)
                reply(msg, addr, 200, "OK", fork_extra("forkD"), body=SDP, tag="forkD")
                retransmit_200(msg, addr, "forkD")
            threading.Thread(target=late, daemon=True).start()
        elif mode == "garbage":
            # what does not decode as SIP, and a response to no request of ours; then busy
            reply(msg, addr, 100, "Trying")
            ok = "\r\n".join(["SIP/2.0 200 OK"] + hdrs(msg, "Via") + [
                "From: " + hdr(msg, "From"), "To: " + hdr(msg, "To") + ";tag=g",
                "Call-ID: " + hdr(msg, "Call-ID"), "CSeq: " + hdr(msg, "CSeq"),
                "Content-Length: 0", "", ""])
            for junk in (ok[:len(ok) // 2], "SIP/2.0 200 OK\r\nVia: \x01\x02\r\n",
                         "\xff\xfe\x00 this is no SIP at all",
                         re.sub(r"branch=[^;\r]*", "branch=z9hG4bKnobody",
                                ok.replace("200 OK", "183 Session Progress"))):
                s.sendto(junk.encode("latin-1"), addr)
            time.sleep(0.2)
            reply(msg, addr, 486, "Busy Here")
        elif mode == "emptyreinvite":
            calls[hdr(msg, "Call-ID")] = (mode, msg, addr)
            reply(msg, addr, 200, "OK", "Contact: <sip:p@127.0.0.1:%d>" % port, body=SDP)
            threading.Thread(target=media, args=("otherport", their_rtp(msg)), daemon=True).start()
    elif first.startswith("CANCEL"):
        reply(msg, addr, 200, "OK")
        call = calls.get(hdr(msg, "Call-ID"))
        if call is not None and call[0] == "late200":
            # the callee picked up as the CANCEL came: 200 to the INVITE, not 487 (its answer
            # was on its way: it comes a little later)
            time.sleep(0.3)
            reply(call[1], call[2], 200, "OK", "Contact: <sip:p@127.0.0.1:%d>" % port, body=SDP)
    elif first.startswith("ACK"):
        call = calls.pop(hdr(msg, "Call-ID"), None)
        if call is not None and call[0] == "emptyreinvite":
            time.sleep(0.3)
            request(call[1], call[2], "INVITE", 2)
    elif first.startswith("BYE"):
        reply(msg, addr, 200, "OK")
    elif first.startswith("SIP/2.0"):
        # answers to the peer's own requests: an offer in the 200 to an empty re-INVITE?
        log.write("%.3f answer %s %s\n" % (time.time(), hdr(msg, "CSeq"),
                                           "offer" if "m=audio" in msg else "no-sdp"))
        if first.startswith("SIP/2.0 200") and "INVITE" in hdr(msg, "CSeq"):
            body = SDP if "m=audio" in msg else ""
            ack = "\r\n".join(["ACK %s SIP/2.0" % re.search(r"<([^>]*)>", hdr(msg, "Contact") or "<sip:x@127.0.0.1>").group(1),
                                "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKack%d" % (port, random.randint(0, 1 << 30)),
                                "From: " + hdr(msg, "From"), "To: " + hdr(msg, "To"),
                                "Call-ID: " + hdr(msg, "Call-ID"), "CSeq: %s ACK" % hdr(msg, "CSeq").split()[0],
                                "Max-Forwards: 70"] + (["Content-Type: application/sdp"] if body else []) +
                               ["Content-Length: %d" % len(body), "", body])
            s.sendto(ack.encode(), addr)
