#!/usr/bin/env python3
"""Cases that fail against the current engine, each written up in /tmp/smtpeek-bugs.md.
NOT registered with ctest until the engine is fixed; then each moves to its proper module.
Run by hand: SMTPEEK_BINARY=.../smtpeek python3 test_pending.py"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402
import unittest  # noqa: E402


class PendingTest(unittest.TestCase):

    def test_shutdown_without_leak(self):
        """Strict: ten start/EHLO/QUIT/SIGTERM cycles, every one exits 0 with no sanitizer
        output at all (the fixture otherwise tolerates the known shutdown leak)."""
        for i in range(10):
            s = fx.Server(memory=True).start()
            with s.connect() as c:
                c.greet()
                c.cmd("QUIT")
            rc = s.stop()
            self.assertEqual(rc, 0, "cycle %d: exit %d\n%s"
                             % (i, rc, s.stderr.decode(errors="replace")[-3000:]))

    def test_sigterm_right_after_listening(self):
        """SIGTERM as soon as the listening line is out: graceful stop, exit 0."""
        for i in range(10):
            s = fx.Server(memory=True).start()
            rc = s.stop()
            self.assertTrue(rc == 0 or s.exit_ok(rc), "cycle %d: exit %d, log %r"
                            % (i, rc, s.lines))
            self.assertIsNotNone(s.wait_line(r"^stopped: "), s.lines)

    def test_two_processes_one_database(self):
        """A second smtpeek on the same file must refuse to start, or both must keep every
        acknowledged message."""
        import tempfile
        tmp = tempfile.TemporaryDirectory(prefix="smtpeek-it-")
        self.addCleanup(tmp.cleanup)
        db = os.path.join(tmp.name, "db.sqlite")
        a = fx.Server(db=db).start()
        self.addCleanup(a.kill)
        b = fx.Server(db=db)
        self.addCleanup(b.kill)
        try:
            b.start()
        except RuntimeError:
            return                      # refused: fine
        acked = []
        for i in range(4):
            for name, s in (("a", a), ("b", b)):
                with s.connect() as c:
                    c.greet()
                    raw = b"Subject: %s%d\r\n" % (name.encode(), i)
                    r = c.send_message("x@example.org", ["r@example.org"], raw[:-2])
                    self.assertEqual(r.code, 250, r)
                    acked.append(raw)
        a.stop()
        b.stop()
        stored = [r[0] for r in fx.Store(db).query("SELECT raw FROM message_raw")]
        self.assertEqual(sorted(bytes(x) for x in stored), sorted(acked))

    def test_second_sigterm_during_shutdown(self):
        import signal
        import threading
        import time
        for i in range(4):
            s = fx.Server(memory=True).start()
            self.addCleanup(s.kill)
            c = s.connect()
            self.addCleanup(c.close)
            c.greet()
            c.expect(250, "MAIL FROM:<big@example.org>")
            c.expect(250, "RCPT TO:<r@example.org>")
            c.expect(354, "DATA")
            stop = threading.Event()

            def stream():
                try:
                    while not stop.is_set():
                        c.sock.sendall(b"z" * 998 + b"\r\n")
                except OSError:
                    pass
            t = threading.Thread(target=stream)
            t.start()
            time.sleep(0.3)
            s.send_signal(signal.SIGTERM)
            time.sleep(0.05)
            s.send_signal(signal.SIGTERM)
            got = c.salvage(10)
            stop.set()
            t.join()
            rc = s.stop()
            self.assertTrue(s.exit_ok(rc), "round %d: exit %d" % (i, rc))
            self.assertIn(b"421 4.3.0 shutting down", got, "round %d" % i)
            self.assertEqual(len([l for l in s.lines if l.startswith("stopped: ")]), 1, s.lines)
            self.assertIsNotNone(s.wait_line(r"^session 1 ended: shutdown"), s.lines)

    def test_replies_are_printable(self):
        s = fx.Server(memory=True).start()
        self.addCleanup(s.kill)
        with s.connect() as c:
            c.expect(220)
            for verb in (b"EHLO", b"HELO"):
                r = c.cmd(verb + b" a\rb\x00c\xff")
                for line in r.raw.split(b"\r\n")[:-1]:
                    self.assertRegex(line, rb"^[\x20-\x7e]*$", (verb, r.raw))

    def test_usage_names_smtpeek(self):
        p = fx.run_binary(["--bogus"])
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"Usage: smtpeek", p.stderr)
        self.assertNotIn(b"<executable_name>", p.stderr)


if __name__ == "__main__":
    fx.main()
