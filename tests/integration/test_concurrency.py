#!/usr/bin/env python3
"""200 concurrent clients (threads, Python smtplib) against the real binary: all sessions open
at once, every message acknowledged with a distinct id and stored byte-exact."""

import os
import smtplib
import sys
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
        self.assertEqual(self.server.wait_count(r"^session \d+ ended: quit, 1 message\(s\)", CLIENTS,
                                                start=mark), CLIENTS)


if __name__ == "__main__":
    fx.main()
