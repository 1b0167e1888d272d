#!/usr/bin/env python3
"""Signals and the limits that need their own server: SIGTERM/SIGINT with open sessions, during
an upload, twice, right at start; a clean exit every time; max sessions; idle timeout; the
bad-command limit."""

import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402


class SignalsTest(fx.ProcessTestCase):

    def test_shutdown_is_clean_every_time(self):
        """Six start/EHLO/QUIT/SIGTERM cycles: every one exits 0 with no sanitizer output
        (a shutdown leak used to show up in about 4 stops out of 10)."""
        for i in range(6):
            s = self.start()
            with s.connect() as c:
                c.greet()
                c.cmd("QUIT")
            rc = s.stop()
            self.assertIsNone(s.sanitizer_report(), "cycle %d:\n%s" % (i, s.sanitizer_report()))
            self.assertEqual(rc, 0, "cycle %d" % i)

    def test_sigterm_right_after_listening(self):
        """SIGTERM as soon as the listening line is out: graceful stop, exit 0 (the signal
        handlers used to be installed only after the server was listening)."""
        for i in range(6):
            s = self.start()
            rc = s.stop()
            self.assertEqual(rc, 0, "cycle %d: exit %d, log %r" % (i, rc, s.lines))
            self.assertIsNotNone(s.wait_line(r"^stopped: "), s.lines)

    def uploading(self, s):
        """A client in the middle of DATA, streaming lines from a thread until `stop` is set;
        returns (client, stop, thread) once the server has been receiving a while (bounded;
        not a timing assertion)."""
        c = self.connect(s)
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
        return c, stop, t

    def test_second_sigterm_during_shutdown(self):
        """Ctrl-C twice: one graceful stop — the client mid-DATA reads 421, the session end
        and "stopped" are logged once, exit 0."""
        for i in range(3):
            s = self.start()
            c, stop, t = self.uploading(s)
            s.send_signal(signal.SIGTERM)
            time.sleep(0.05)
            s.send_signal(signal.SIGTERM)
            got = c.salvage(fx.IO_TIMEOUT)
            stop.set()
            t.join()
            rc = s.stop()
            self.assertEqual(rc, 0, "round %d" % i)
            self.assertIn(b"421 4.3.0 shutting down", got, "round %d" % i)
            self.assertEqual(len([l for l in s.lines if l.startswith("stopped: ")]), 1, s.lines)
            self.assertIsNotNone(s.wait_line(r"^session 1 ended: shutdown"), s.lines)

    def graceful(self, sig):
        db = self.db()
        s = self.start(db=db)
        idle = self.connect(s)
        idle.greet()
        mid = self.connect(s)            # in the middle of a transaction
        mid.greet()
        mid.expect(250, "MAIL FROM:<a@example.org>")
        mid.expect(250, "RCPT TO:<b@example.org>")
        mid.expect(354, "DATA")
        mid.send(b"Subject: never finished\r\n\r\nhalf")
        done = self.connect(s)           # acknowledged just before the signal
        done.greet()
        r = done.send_message("a@example.org", ["b@example.org"], b"Subject: acked\r\n\r\nbody")
        self.assertEqual(r.code, 250, r)
        acked = fx.queued_id(r)
        s.send_signal(sig)
        for c in (idle, mid, done):
            r = c.reply()
            self.assertEqual((r.code, r.lines[0]), (421, "4.3.0 shutting down"), r)
            self.assertEqual(c.read_until_closed(), b"")
        self.stop_ok(s, sig)
        self.assertIsNotNone(s.wait_line(r"ended: shutdown"), s.lines)
        store = fx.Store(db)
        self.assertEqual(store.ids(), [acked])
        self.assertEqual(store.raw(acked), b"Subject: acked\r\n\r\nbody\r\n")

    def test_sigterm_during_upload(self):
        """A client streaming a large message when SIGTERM arrives reads 421 4.3.0; nothing of
        its message is stored; exit 0."""
        db = self.db()
        s = self.start(db=db)
        c, stop, t = self.uploading(s)
        self.addCleanup(t.join)
        self.addCleanup(stop.set)
        s.send_signal(signal.SIGTERM)
        got = c.salvage(fx.IO_TIMEOUT)
        stop.set()
        self.assertIn(b"421 4.3.0 shutting down", got)
        self.stop_ok(s)
        self.assertEqual(fx.Store(db).count(), 0)
        self.assertIsNotNone(s.wait_line(r"^session \d+ ended: shutdown, 0 message"), s.lines)

    def test_sigterm_with_open_sessions(self):
        self.graceful(signal.SIGTERM)

    def test_sigint_with_open_sessions(self):
        self.graceful(signal.SIGINT)

    def admitted(self, s):
        """A new connection that got the 220 greeting; retries while the server is still
        noticing earlier closes (bounded, not a timing assertion)."""
        deadline = time.monotonic() + fx.IO_TIMEOUT
        while True:
            c = s.connect()
            r = c.reply()
            if r.code == 220:
                self.addCleanup(c.close)
                return c
            self.assertEqual((r.code, r.lines[0][:5]), (421, "4.3.2"), r)
            c.close()
            self.assertLess(time.monotonic(), deadline, "a freed slot was never reused")
            time.sleep(0.05)

    def test_max_sessions(self):
        s = self.start(args=("--max-sessions", "2"))
        for round_ in range(3):
            a, b = self.admitted(s), self.admitted(s)
            a.expect(250, "EHLO a")
            b.expect(250, "EHLO b")
            for _ in range(5):
                c = self.connect(s)
                r = c.reply()
                self.assertEqual((r.code, r.lines[0][:5]), (421, "4.3.2"), (round_, r))
                self.assertEqual(c.read_until_closed(), b"")
            # the two admitted sessions are unaffected
            r = a.send_message("a@example.org", ["b@example.org"], b"Subject: a")
            self.assertEqual(r.code, 250, r)
            # refused connections must not use up slots: after both leave, two fit again
            for c in (a, b):
                c.cmd("QUIT")
                c.close()
        self.stop_ok(s)

    def test_idle_timeout(self):
        s = self.start(args=("--idle-timeout", "2"))
        mark = s.log_mark()
        c = self.connect(s)
        c.greet()
        r = c.reply()                    # blocks until the server speaks
        self.assertEqual((r.code, r.lines[0][:5]), (421, "4.4.2"), r)
        self.assertEqual(c.read_until_closed(), b"")
        self.assertIsNotNone(s.wait_line(r"^session \d+ ended: timeout", start=mark), s.lines)
        self.stop_ok(s)

    def test_idle_timeout_mid_data_stores_nothing(self):
        s = self.start(args=("--idle-timeout", "2"))
        c = self.connect(s)
        c.greet()
        c.expect(250, "MAIL FROM:<stall@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        c.expect(354, "DATA")
        c.send(b"Subject: stalled\r\n\r\nand then nothing")
        r = c.reply()
        self.assertEqual((r.code, r.lines[0][:5]), (421, "4.4.2"), r)
        self.assertEqual(c.read_until_closed(), b"")
        self.assertEqual(s.stored_lines(), [])
        self.stop_ok(s)

    def test_activity_resets_idle_timer(self):
        s = self.start(args=("--idle-timeout", "2"))
        c = self.connect(s)
        c.greet()
        for _ in range(6):               # 6 x 0.5 s of traffic: longer than the timeout
            self.assertEqual(c.cmd("NOOP").code, 250)
            time.sleep(0.5)
        self.assertEqual(c.cmd("NOOP").code, 250)
        self.stop_ok(s)

    def test_max_bad_commands_option(self):
        s = self.start(args=("--max-bad-commands", "3"))
        c = self.connect(s)
        c.greet()
        self.assertEqual(c.cmd("BAD1").code, 500)
        self.assertEqual(c.cmd("BAD2").code, 500)
        r = c.cmd("BAD3")
        if r.code == 500:
            r = c.reply()
        self.assertEqual((r.code, r.lines[0][:5]), (421, "4.7.0"), r)
        self.assertEqual(c.read_until_closed(), b"")
        self.stop_ok(s)


if __name__ == "__main__":
    fx.main()
