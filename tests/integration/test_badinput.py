#!/usr/bin/env python3
"""Bad input against the real binary: garbage, NUL bytes, a 100 KB line without a newline,
invalid UTF-8, clients that vanish at any point.  The server answers with the right code or
closes, keeps serving everyone else, never stores a partial message."""

import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402


class ServingCheck:
    def assertServing(self):
        """The server is alive and a well-behaved client still gets its message stored."""
        self.assertTrue(self.server.alive(), self.server.stderr.decode(errors="replace")[-3000:])
        raw = b"Subject: still serving\r\n\r\nok\r\n"
        with self.server.connect() as c:
            c.greet()
            r = c.send_message("good@example.org", ["r@example.org"], raw[:-2])
            self.assertEqual(r.code, 250, r)
            self.assertEqual(c.cmd("QUIT").code, 221)
        self.assertStored(fx.queued_id(r), raw)


class BadInputTest(ServingCheck, fx.ServerTestCase):

    def greeted(self):
        c = self.connect()
        c.greet()
        return c

    def assertAnsweredOrClosed(self, c, allowed=(4, 5)):
        """Whatever came back is well-formed replies of the allowed classes; returns the codes.
        Waits for a first reply or the close (up to IO_TIMEOUT), then collects what follows
        until the line has been quiet a moment."""
        data, closed = c.buf, False
        c.buf = b""
        if not data:
            try:
                c.sock.settimeout(fx.IO_TIMEOUT)
                chunk = c.sock.recv(65536)
                data += chunk
                closed = not chunk
            except ConnectionResetError:
                closed = True
        while not closed:
            more, closed = c.drain(0.3)
            if not more:
                break
            data += more
        codes = []
        for line in data.split(b"\r\n"):
            if not line:
                continue
            self.assertRegex(line, rb"^\d{3}[ -]", "malformed reply %r" % line)
            if line[3:4] == b" ":
                codes.append(int(line[:3]))
        for code in codes:
            self.assertIn(code // 100, allowed, (codes, data[-500:]))
        self.assertTrue(codes or closed, "server neither answered nor closed")
        return codes, closed

    # -- garbage -------------------------------------------------------------------------------
    def test_random_garbage(self):
        rng = random.Random(2026)
        for size in (1, 64, 5000, 40000):
            c = self.connect()
            c.expect(220)
            c.send(bytes(rng.randrange(256) for _ in range(size)) + b"\r\n")
            self.assertAnsweredOrClosed(c)
            c.close()
        self.assertServing()

    def test_garbage_before_greeting(self):
        c = self.connect()
        c.send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) + b"\r\n")
        r = c.reply()
        self.assertEqual(r.code, 220)
        self.assertAnsweredOrClosed(c)
        self.assertServing()

    def test_http_request(self):
        c = self.connect()
        c.expect(220)
        c.send(b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: x\r\n\r\n")
        codes, _ = self.assertAnsweredOrClosed(c)
        self.assertTrue(all(code == 500 for code in codes[:3]), codes)
        self.assertServing()

    # -- NUL bytes -----------------------------------------------------------------------------
    def test_nul_in_commands(self):
        c = self.greeted()
        r = c.cmd(b"NOOP\x00")
        self.assertEqual(r.code // 100, 5, r)
        r = c.cmd(b"MAIL FROM:<a\x00b@example.org>")
        self.assertEqual(r.code // 100, 5, r)
        r = c.cmd(b"\x00\x00\x00")
        self.assertEqual(r.code // 100, 5, r)
        c.expect(250, "MAIL FROM:<a@example.org>")
        r = c.cmd(b"RCPT TO:<x\x00y@example.org>")
        self.assertEqual(r.code // 100, 5, r)
        self.assertEqual(c.cmd("NOOP").code, 250)
        self.assertServing()

    def test_nul_in_data_stored_byte_exact(self):
        raw = b"Subject: nul\r\n\r\na\x00b\r\n\x00\r\n\x00\x00\x00 end\r\n"
        c = self.greeted()
        r = c.send_message("a@example.org", ["b@example.org"], raw[:-2])
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), raw)

    def test_replies_are_printable(self):
        """A hostile EHLO/HELO argument is not echoed raw: reply lines stay printable ASCII."""
        c = self.connect()
        c.expect(220)
        for verb in (b"EHLO", b"HELO"):
            r = c.cmd(verb + b" a\rb\x00c\xff")
            for line in r.raw.split(b"\r\n")[:-1]:
                self.assertRegex(line, rb"^[\x20-\x7e]*$", (verb, r.raw))

    # -- long lines ----------------------------------------------------------------------------
    def test_100kb_command_line_without_newline(self):
        c = self.greeted()
        c.send(b"MAIL FROM:<" + b"x" * 100 * 1024)
        # answered with 500 5.5.2 before any newline arrives, or closed
        codes, closed = self.assertAnsweredOrClosed(c, allowed=(5,))
        if codes:
            self.assertEqual(codes[0], 500)
        c.close()
        self.assertServing()

    def test_100kb_line_in_data_stored_intact(self):
        long_line = bytes(rng_line(100 * 1024))
        raw = b"Subject: long line\r\n\r\n" + long_line + b"\r\nshort\r\n"
        c = self.greeted()
        r = c.send_message("a@example.org", ["b@example.org"], fx.dot_stuff(raw[:-2]))
        self.assertEqual(r.code, 250, r)
        msg_id = fx.queued_id(r)
        self.assertStored(msg_id, raw)
        warnings = bytes(self.store.message(msg_id)["warnings"] or b"")
        self.assertGreater(len(warnings), 4, "a line over 1000 octets must be flagged")

    def test_overlong_line_crlf_in_later_read(self):
        """One reply per command line even when the long line's end comes in a later read
        (the pauses only make the server see separate reads; nothing depends on their length)."""
        for parts in ([b"A" * 600, b"\r\nNOOP\r\n"],
                      [b"A" * 600, b"B" * 600, b"\r\nNOOP\r\n"],
                      [b"A" * 600 + b"\r", b"\nNOOP\r\n"],
                      [b"NOOP " + b"A" * 505, b"x\r\nNOOP\r\n"]):
            c = self.connect()
            c.expect(220)
            for part in parts:
                c.send(part)
                time.sleep(0.2)
            r = c.reply()
            self.assertEqual((r.code, r.lines[0][:5]), (500, "5.5.2"), (parts[-1], r))
            r = c.reply()
            self.assertEqual(r.code, 250, "one reply per command line; got %r" % r)
            c.close()
        self.assertServing()

    def test_100kb_line_then_crlf_session_usable(self):
        c = self.greeted()
        c.send(b"MAIL FROM:<" + b"x" * 100 * 1024 + b">\r\nNOOP\r\n")
        r = c.reply()
        self.assertEqual((r.code, r.lines[0][:5]), (500, "5.5.2"), r)
        self.assertEqual(c.reply().code, 250)
        c.expect(250, "MAIL FROM:<a@example.org>")

    # -- invalid UTF-8 -------------------------------------------------------------------------
    def test_invalid_utf8_in_addresses(self):
        c = self.greeted()
        for bad in (b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                    b"\xc0\xaf"):
            r = c.cmd(b"MAIL FROM:<u" + bad + b"@example.org> SMTPUTF8")
            self.assertEqual(r.code // 100, 5, (bad, r))
        c.expect(250, "MAIL FROM:<a@example.org> SMTPUTF8")
        r = c.cmd(b"RCPT TO:<\xff@example.org>")
        self.assertEqual(r.code // 100, 5, r)
        c.expect(250, "RCPT TO:<b@example.org>")
        self.assertServing()

    def test_invalid_utf8_in_body_stored_byte_exact(self):
        raw = b"Subject: \xff\xfe bad\r\n\r\n\xc3\x28 \xed\xa0\x80 \xc0\xaf\r\n"
        c = self.greeted()
        r = c.send_message("a@example.org", ["b@example.org"], raw[:-2],
                           mail_params=" BODY=8BITMIME")
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), raw)

    # -- clients that vanish -------------------------------------------------------------------
    STEPS = [
        b"",                                                   # before reading the greeting
        b"EHLO x\r\n",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\n",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\n",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nDATA\r\n",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nDATA\r\n"
        b"Subject: gone\r\n\r\nhalf a messa",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nDATA\r\n"
        b"Subject: gone\r\n\r\nall but the dot\r\n",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nDATA\r\n"
        b"Subject: gone\r\n\r\nall but the dot\r\n.",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nBDAT 1000\r\n"
        b"Subject: gone\r\n",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nBDAT 10\r\n"
        b"0123456789BDAT 500 LAST\r\nSubject: gone",
        b"EHLO x\r\nMAIL FROM:<gone@example.org>\r\nRCPT TO:<r@example.org>\r\nBDAT 10",
    ]

    def vanish(self, reset):
        before = self.store.count()
        mark = self.server.log_mark()
        for step in self.STEPS:
            s = socket.create_connection((self.server.host, self.server.port), timeout=10)
            if reset:   # RST instead of FIN
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            if step:
                s.sendall(step)
            s.close()
        self.assertServing()
        self.assertEqual(self.store.count(), before + 1, "a vanished client's message was stored")
        # every vanished session is logged as ended
        for _ in self.STEPS:
            pass
        ended = [l for l in self.server.lines[mark:] if " ended: " in l]
        self.assertFalse([l for l in self.server.lines[mark:] if "gone@example.org" in l])
        self.assertIsNotNone(self.server.wait_line(r"ended: dropped", start=mark), ended)

    def test_vanish_at_every_point_fin(self):
        self.vanish(reset=False)

    def test_vanish_at_every_point_rst(self):
        self.vanish(reset=True)

    def test_vanish_with_replies_unread(self):
        """A client pipelines a lot and closes without reading: the server's writes fail."""
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.sendall(b"EHLO x\r\n" + b"HELP\r\nNOOP\r\n" * 9 + b"RSET\r\n" * 2000)
        s.close()
        self.assertServing()

    def test_client_that_never_reads(self):
        """A client pipelines NOOPs and never reads: the server stops reading once its replies
        back up (it used to buffer them all: 81 MB of NOOPs grew it by 3 GB), and when the
        client reads at last, every command has its reply, in order."""
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        # A small window, so that the replies back up soon; opened again for reading them.
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_WINDOW_CLAMP, 4096)
        chunk = b"NOOP\r\n" * 10000
        sent, stopped, deadline = 0, False, time.monotonic() + 30
        while not stopped and time.monotonic() < deadline:
            try:
                s.settimeout(2)  # a send that moves nothing for 2 s: has the server stopped?
                sent += s.send(chunk)
                continue
            except socket.timeout:
                pass
            # Not just busy (a loaded machine pauses it too): it reads nothing more for 5 s.
            try:
                s.settimeout(5)
                sent += s.send(chunk)
            except socket.timeout:
                stopped = True
        self.assertTrue(stopped, "the server read %d bytes of NOOPs without stopping" % sent)
        expected = 1 + sent // len(b"NOOP\r\n")  # the greeting, then one reply per whole NOOP
        s.settimeout(fx.IO_TIMEOUT)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_WINDOW_CLAMP, 1 << 24)
        chunks, count = [], 0
        while count < expected:
            data = s.recv(1 << 20)
            self.assertTrue(data, "closed after %d replies" % count)
            chunks.append(data)
            count += data.count(b"\n")
        lines = b"".join(chunks).split(b"\r\n")
        self.assertTrue(lines[0].startswith(b"220 "), lines[0])
        self.assertEqual(set(lines[1:expected]), {b"250 2.0.0 Ok"})
        s.close()
        self.assertServing()

    def test_many_sessions_dropped_end_state(self):
        mark = self.server.log_mark()
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.close()
        line = self.server.wait_line(r"^session \d+ ended: dropped, 0 message", start=mark)
        self.assertIsNotNone(line, self.server.lines[mark:])


def rng_line(n):
    rng = random.Random(n)
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789 .,;"
    return bytes(rng.choice(alphabet) for _ in range(n))



class BoundedResourcesTest(ServingCheck, fx.ServerTestCase):
    """The bounds a hostile client meets: the budget for mail in flight and the time one
    message may take (the transcript cap is tst_sessionlimits')."""

    server_args = ("--max-in-flight", "100000", "--data-timeout", "1")

    def test_mail_over_the_budget_gets_452_and_one_within_is_stored(self):
        with self.server.connect() as c:
            c.greet()
            self.assertEqual(c.cmd("MAIL FROM:<a@example.org> SIZE=200000").code, 452)
            self.assertEqual(c.cmd("RSET").code, 250)
            raw = b"Subject: a body over the budget\r\n\r\n" + (b"x" * 998 + b"\r\n") * 150
            r = c.send_message("a@example.org", ["r@example.org"], raw)
            self.assertEqual((r.code, r.lines[0][:5]), (452, "4.3.1"), r)
        self.assertServing()

    def test_a_trickle_in_data_is_closed_with_451(self):
        with self.server.connect() as c:
            c.greet()
            c.expect(250, "MAIL FROM:<a@example.org>")
            c.expect(250, "RCPT TO:<r@example.org>")
            c.expect(354, "DATA")
            deadline = time.monotonic() + 10
            reply = None
            while reply is None and time.monotonic() < deadline:
                try:
                    c.send(b"x")
                except OSError:
                    break
                c.sock.settimeout(0.2)
                try:
                    reply = c.reply()
                except socket.timeout:
                    pass
            self.assertIsNotNone(reply, "no reply to a DATA that never ends")
            self.assertEqual((reply.code, reply.lines[0][:5]), (451, "4.4.2"), reply)
        self.assertServing()


if __name__ == "__main__":
    fx.main()
