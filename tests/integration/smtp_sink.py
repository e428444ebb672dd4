#!/usr/bin/python3
"""smtp_sink.py PORT DIR - an SMTP sink for the mail tests (aiosmtpd) on
127.0.0.1:PORT. Each message it accepts goes to DIR/N.eml as received and to
DIR/N.txt decoded by Python's email package (an independent decoder): one
"header: value" line per header the tests look at, then "body:" and the
decoded text. DIR/ready appears once it listens. It stops on SIGTERM, or by
itself after 120 s."""
import email
import email.policy
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]
count = 0
lock = threading.Lock()


class Sink:
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
