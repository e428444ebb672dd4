#!/usr/bin/python3
"""smtp_sink.py PORT DIR [reject=ADDR ...] [defer=ADDR:N ...] - an SMTP sink
for the mail tests (aiosmtpd) on 127.0.0.1:PORT. Each message it accepts goes
to DIR/N.eml as received and to DIR/N.txt decoded by Python's email package
(an independent decoder): one "header: value" line per header the tests look
at, then "body:" and the decoded text. reject=ADDR refuses that recipient for
good (550 5.1.1), defer=ADDR:N for now (451 4.3.0) the first N times it is
offered. Every RCPT TO is logged to DIR/rcpt.log as "CODE ADDR". DIR/ready
appears once it listens. It stops on SIGTERM, or by itself after 120 s."""
import email
import email.policy
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]
rejects = {a[7:].lower() for a in sys.argv[3:] if a.startswith("reject=")}
defers = {}
for a in sys.argv[3:]:
    if a.startswith("defer="):
        addr, n = a[6:].rsplit(":", 1)
        defers[addr.lower()] = int(n)
count = 0
lock = threading.Lock()


def rcpt_log(code, address):
    with lock:
        with open(os.path.join(out, "rcpt.log"), "a", encoding="utf-8") as f:
            f.write("%d %s\n" % (code, address))


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        a = address.lower()
        if a in rejects:
            rcpt_log(550, address)
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        with lock:
            left = defers.get(a, 0)
            if left > 0:
                defers[a] = left - 1
        if left > 0:
            rcpt_log(451, address)
            return "451 4.3.0 <%s>: Temporary lookup failure, try again later" % address
        rcpt_log(250, address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        global count
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        lines = []
        for h in ("From", "To", "Subject", "Message-ID", "In-Reply-To", "References", "Date",
                  "MIME-Version", "Content-Type", "Content-Transfer-Encoding"):
            v = msg.get(h)
            lines.append("%s: %s" % (h.lower(), "" if v is None else str(v)))
        lines.append("envelope-to: %s" % ",".join(envelope.rcpt_tos))
        body = msg.get_body(preferencelist=("plain",))
        lines.append("body:")
        lines.append(body.get_content() if body is not None else "")
        with lock:
            count += 1
            n = count
        with open(os.path.join(out, "%d.eml" % n), "wb") as f:
            f.write(raw)
        tmp = os.path.join(out, "%d.tmp" % n)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        os.rename(tmp, os.path.join(out, "%d.txt" % n))
        return "250 OK"


done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
c = Controller(Sink(), hostname="127.0.0.1", port=port)
c.start()
open(os.path.join(out, "ready"), "w").close()
done.wait(120)
c.stop()
