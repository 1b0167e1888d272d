#!/usr/bin/env python3
"""200 concurrent clients (threads, Python smtplib) against the real binary: all sessions open
at once, every message acknowledged with a distinct id and stored byte-exact."""

import os
import smtplib
import sys
import re
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402

CLIENTS = 200


class ConcurrencyTest(fx.ServerTestCase):

    def test_200_concurrent_clients(self):
        before = self.store.count()
        mark = self.server.log_mark()
        greeted = threading.Barrier(CLIENTS, timeout=120)
        results = [None] * CLIENTS
        errors = []

        def client(i):
            s = None
            try:
                s = smtplib.SMTP(timeout=120)
                s.connect(self.server.host, self.server.port)
                s.ehlo("client%d.test" % i)
                greeted.wait()          # all 200 sessions are open before anyone sends
                raw = (b"Subject: concurrent %d\r\nX-Client: %d\r\n\r\n" % (i, i)
                       + b"line of client %d\r\n" % i * (1 + i % 50))
                code, _ = s.mail("c%d@example.org" % i)
                assert code == 250, code
                code, _ = s.rcpt("r%d@example.org" % i)
                assert code == 250, code
                code, text = s.data(raw)
                assert code == 250, (code, text)
                results[i] = (fx.queued_id(text.decode()), raw)
                s.quit()
            except BaseException as e:  # noqa: B902 - report everything from the thread
                errors.append((i, repr(e)))
                greeted.abort()
                if s is not None:
                    s.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        self.assertFalse(any(t.is_alive() for t in threads), "client threads hung")
        self.assertEqual(errors, [], errors[:10])
        ids = [r[0] for r in results]
        self.assertEqual(len(set(ids)), CLIENTS, "ids must be distinct")
        self.assertEqual(self.store.count(), before + CLIENTS)
        for i, (msg_id, raw) in enumerate(results):
            self.assertStored(msg_id, raw)
            self.assertEqual(bytes(self.store.message(msg_id)["mail_from"]),
                             b"c%d@example.org" % i)
        # the log has one stored line per message and one start/end per session
        stored = [m for m in self.server.stored_lines() if int(m.group(1)) in set(ids)]
        self.assertEqual(len(stored), CLIENTS)
        for i in range(CLIENTS):
            self.assertIsNotNone(
                self.server.wait_line(r'subject "concurrent %d"$' % i, start=mark))
        self.assertEqual(self.server.wait_count(r"^session \d+ started from 127\.0\.0\.1:", CLIENTS,
                                                start=mark), CLIENTS)
        # Only this test's sessions: an earlier test's session may log its end after the mark.
        started = {int(line.split()[1]) for line in self.server.lines[mark:]
                   if re.match(r"^session \d+ started from ", line)}
        ended = r"^session (%s) ended: quit, 1 message\(s\)" % "|".join(map(str, started))
        self.assertEqual(self.server.wait_count(ended, CLIENTS, start=mark), CLIENTS)

    def test_1000_recipients_pipelined(self):
        """The default limit is 1000 recipients: all 1001 RCPTs and the message in one write."""
        rcpts = ["r%04d@example.org" % i for i in range(1001)]
        c = self.connect()
        c.send(b"EHLO many\r\nMAIL FROM:<a@example.org>\r\n"
               + b"".join(b"RCPT TO:<%s>\r\n" % r.encode() for r in rcpts)
               + b"DATA\r\nSubject: many\r\n\r\nx\r\n.\r\nQUIT\r\n")
        c.expect(220)
        c.expect(250)
        c.expect(250)
        codes = [c.reply().code for _ in rcpts]
        self.assertEqual(codes, [250] * 1000 + [452])
        c.expect(354)
        r = c.reply()
        self.assertEqual(r.code, 250, r)
        c.expect(221)
        line = self.server.stored_line(fx.queued_id(r))
        self.assertEqual(line.group(4), " ".join("<%s>" % a for a in rcpts[:1000]))
        self.assertStored(fx.queued_id(r), b"Subject: many\r\n\r\nx\r\n")

    def test_300_idle_connections_do_not_block_others(self):
        idle = []
        for _ in range(300):
            c = self.server.connect()
            self.addCleanup(c.close)
            idle.append(c)
        for c in idle:
            c.expect(220)
        with self.server.connect() as c:
            c.greet()
            r = c.send_message("busy@example.org", ["r@example.org"], b"Subject: among idle")
            self.assertEqual(r.code, 250, r)
            self.assertStored(fx.queued_id(r), b"Subject: among idle\r\n")
        for c in idle[::50]:
            self.assertEqual(c.cmd("NOOP").code, 250)


if __name__ == "__main__":
    fx.main()
