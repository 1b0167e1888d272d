#!/usr/bin/env python3
"""Conformance over raw sockets against the real binary: pipelining, SMTP smuggling, dot-stuffing
on the wire, disconnect mid-DATA, BDAT/CHUNKING, sequence errors, limits and their replies."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402

MAX_SIZE = 200000
MAX_RCPTS = 5


class ProtocolTest(fx.ServerTestCase):
    server_args = ("--max-size", str(MAX_SIZE), "--max-recipients", str(MAX_RCPTS))

    def greeted(self):
        c = self.connect()
        c.greet()
        return c

    # -- pipelining -------------------------------------------------------------------------
    def test_pipelined_transactions_in_one_write(self):
        c = self.connect()
        bodies = [b"Subject: pipe %d\r\n\r\nbody %d\r\n..dot %d\r\n" % (i, i, i) for i in range(3)]
        wire = b"EHLO pipe.test\r\n"
        for i, body in enumerate(bodies):
            wire += (b"MAIL FROM:<p%d@example.org>\r\nRCPT TO:<r%d@example.org>\r\n"
                     b"RCPT TO:<s%d@example.org>\r\nDATA\r\n" % (i, i, i))
            wire += body + b".\r\n"
        wire += b"RSET\r\nNOOP\r\nQUIT\r\n"
        c.send(wire)                                   # everything in one write
        c.expect(220)
        self.assertEqual(c.reply().code, 250)          # EHLO
        ids = []
        for i in range(3):
            r = c.reply()
            self.assertEqual((r.code, r.lines[0][:5]), (250, "2.1.0"), r)   # MAIL
            for _ in range(2):
                r = c.reply()
                self.assertEqual((r.code, r.lines[0][:5]), (250, "2.1.5"), r)  # RCPT
            self.assertEqual(c.reply().code, 354)
            r = c.reply()
            self.assertEqual(r.code, 250, r)
            ids.append(fx.queued_id(r))
        self.assertEqual(c.reply().code, 250)          # RSET
        self.assertEqual(c.reply().code, 250)          # NOOP
        self.assertEqual(c.reply().code, 221)          # QUIT
        self.assertEqual(c.read_until_closed(), b"")
        self.assertEqual(ids, sorted(set(ids)))
        for i, (msg_id, body) in enumerate(zip(ids, bodies)):
            self.assertStored(msg_id, body.replace(b"\r\n..", b"\r\n."))
            self.assertEqual(bytes(self.store.message(msg_id)["mail_from"]),
                             b"p%d@example.org" % i)

    def test_pipelined_errors_keep_order(self):
        c = self.connect()
        c.send(b"EHLO x\r\nRCPT TO:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\n"
               b"RCPT TO:<>\r\nRCPT TO:<ok@b.c>\r\nBOGUS\r\nDATA\r\nhi\r\n.\r\nNOOP\r\n")
        c.expect(220)
        codes = [c.reply().code for _ in range(9)]
        self.assertEqual(codes, [250, 503, 250, 503, 501, 250, 500, 354, 250], codes)
        self.assertEqual(c.reply().code, 250)

    # -- smuggling ----------------------------------------------------------------------------
    SMUGGLE = {
        "lf_dot_lf": b"\n.\n",
        "cr_dot_crlf": b"\r.\r\n",
        "lf_dot_crlf": b"\n.\r\n",
        "crlf_dot_cr": b"\r\n.\r",
    }

    def smuggle(self, ending):
        # The smuggled part tries to end the message and start a second transaction.
        head = b"Subject: smuggle\r\n\r\nfirst part\r\n"
        smuggled = (b"MAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@example.org>\r\n"
                    b"DATA\r\nSubject: smuggled\r\n\r\nevil\r\n")
        data = head + b"x" + ending + smuggled
        c = self.greeted()
        before = self.store.count()
        mark = self.server.log_mark()
        r = c.send_message("honest@example.org", ["rcpt@example.org"], data)
        self.assertEqual(r.code, 250, r)
        msg_id = fx.queued_id(r)
        # exactly one reply for the whole DATA: nothing else is waiting
        self.assertEqual(c.cmd("NOOP").code, 250)
        self.assertEqual(c.cmd("QUIT").code, 221)
        self.assertEqual(self.store.count(), before + 1, "exactly one message")
        # Stored as sent, except that a line starting with "." after a real CRLF loses the dot
        # (the client did not stuff it): only "\r\n.\r" has one.
        self.assertStored(msg_id, data.replace(b"\r\n.", b"\r\n") + b"\r\n")
        self.assertEqual(bytes(self.store.message(msg_id)["mail_from"]), b"honest@example.org")
        self.assertIsNotNone(self.server.wait_line(r"^message %d stored" % msg_id, start=mark))
        self.assertFalse([l for l in self.server.lines[mark:] if "attacker" in l],
                         self.server.lines[mark:])

    def test_smuggling_lf_dot_lf(self):
        self.smuggle(self.SMUGGLE["lf_dot_lf"])

    def test_smuggling_cr_dot_crlf(self):
        self.smuggle(self.SMUGGLE["cr_dot_crlf"])

    def test_smuggling_lf_dot_crlf(self):
        self.smuggle(self.SMUGGLE["lf_dot_crlf"])

    def test_smuggling_crlf_dot_cr(self):
        self.smuggle(self.SMUGGLE["crlf_dot_cr"])

    def test_bare_lf_and_cr_kept_and_flagged(self):
        data = b"Subject: bare\r\n\r\nbare lf\nbare cr\rcrlf\r\n"
        c = self.greeted()
        r = c.send_message("a@example.org", ["b@example.org"], data)
        self.assertEqual(r.code, 250, r)
        msg_id = fx.queued_id(r)
        self.assertStored(msg_id, data + b"\r\n")
        warnings = bytes(self.store.message(msg_id)["warnings"] or b"")
        self.assertNotEqual(warnings, b"\x00\x00\x00\x00", "no compliance warning recorded")
        self.assertGreater(len(warnings), 4, "no compliance warning recorded")

    def test_dot_stuffing_on_the_wire(self):
        wire = b"Subject: stuffed\r\n\r\n..\r\n...\r\n..x\r\n.y\r\nz.\r\n"
        expected = b"Subject: stuffed\r\n\r\n.\r\n..\r\n.x\r\ny\r\nz.\r\n"
        c = self.greeted()
        r = c.send_message("a@example.org", ["b@example.org"], wire[:-2])
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), expected)

    def test_empty_message_data(self):
        before = self.store.count()
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        c.expect(354, "DATA")
        c.send(b".\r\n")
        r = c.reply()
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), b"")
        self.assertEqual(self.store.count(), before + 1)
        self.assertEqual(self.store.count(), self.store.raw_count())

    def test_empty_message_bdat_0_last(self):
        before = self.store.count()
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        r = c.cmd("BDAT 0 LAST")
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), b"")
        self.assertEqual(self.store.count(), before + 1)
        self.assertEqual(self.store.count(), self.store.raw_count())

    # -- disconnects --------------------------------------------------------------------------
    def test_disconnect_mid_data_stores_nothing(self):
        before = self.store.count()
        mark = self.server.log_mark()
        for tail in (b"Subject: cut\r\n\r\npartial line",
                     b"Subject: cut\r\n\r\nfull line\r\n",
                     b"Subject: cut\r\n\r\nalmost\r\n.",
                     b"Subject: cut\r\n\r\nalmost\r\n.\r"):
            c = self.greeted()
            c.expect(250, "MAIL FROM:<cut@example.org>")
            c.expect(250, "RCPT TO:<b@example.org>")
            c.expect(354, "DATA")
            c.send(tail)
            c.close()
        # a later session is served and is the only new message
        c = self.greeted()
        r = c.send_message("after@example.org", ["b@example.org"], b"Subject: after cut\r\n")
        self.assertEqual(r.code, 250, r)
        self.assertEqual(c.cmd("QUIT").code, 221)
        self.assertEqual(self.store.count(), before + 1)
        self.assertIsNotNone(self.server.wait_line(r'subject "after cut"', start=mark))
        # all four dropped sessions were logged as ended without a message
        self.assertIsNotNone(self.server.wait_line(r"^session \d+ ended", start=mark))
        self.assertFalse([l for l in self.server.lines[mark:] if "cut@example.org" in l])

    def test_disconnect_mid_bdat_stores_nothing(self):
        before = self.store.count()
        c = self.greeted()
        c.expect(250, "MAIL FROM:<cutb@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        c.send(b"BDAT 100 LAST\r\nonly forty bytes of the hundred promised\r\n")
        c.close()
        c = self.greeted()
        self.assertEqual(c.cmd("NOOP").code, 250)
        c.cmd("QUIT")
        self.assertEqual(self.store.count(), before)

    # -- BDAT ---------------------------------------------------------------------------------
    def test_bdat_last_single_chunk(self):
        data = b"Subject: bdat\r\n\r\n.not stuffed\r\nbare\nlf\r\n"
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org> BODY=BINARYMIME")
        c.expect(250, "RCPT TO:<b@example.org>")
        c.send(b"BDAT %d LAST\r\n" % len(data) + data)
        r = c.reply()
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), data)

    def test_bdat_multiple_chunks_and_zero_last(self):
        chunks = [b"Subject: chunks\r\n", b"\r\nbinary \x00\xff\x80 bytes", b"\r\n.\r\n",
                  b"tail without CRLF"]
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        total = 0
        for ch in chunks:
            c.send(b"BDAT %d\r\n" % len(ch) + ch)
            total += len(ch)
            r = c.reply()
            self.assertEqual(r.code, 250, r)
            # RFC 3030's examples count octets per chunk or per message; accept either
            self.assertRegex(r.text, r"\b(%d|%d) octets" % (len(ch), total))
        r = c.cmd("BDAT 0 LAST")
        self.assertEqual(r.code, 250, r)
        self.assertStored(fx.queued_id(r), b"".join(chunks))

    def test_bdat_pipelined(self):
        a, b = b"Subject: pipelined bdat\r\n\r\n", b"second chunk\r\n"
        c = self.connect()
        c.send(b"EHLO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
               + b"BDAT %d\r\n" % len(a) + a + b"BDAT %d LAST\r\n" % len(b) + b + b"NOOP\r\n")
        c.expect(220)
        codes = [c.reply() for _ in range(5)]
        self.assertEqual([r.code for r in codes], [250] * 5, codes)
        self.assertEqual(c.reply().code, 250)
        self.assertStored(fx.queued_id(codes[-1]), a + b)

    def test_data_after_bdat_refused(self):
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        c.send(b"BDAT 3\r\nabc")
        c.expect(250)
        self.assertEqual(c.cmd("DATA").code, 503)

    def test_bdat_without_rcpt_refused(self):
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.send(b"BDAT 5 LAST\r\nhello")
        r = c.reply()
        self.assertEqual(r.code, 503, r)
        # the 5 octets were consumed as data, not parsed as a command
        self.assertEqual(c.cmd("NOOP").code, 250)

    # -- sequence errors and syntax -------------------------------------------------------------
    def test_sequence_errors(self):
        c = self.connect()
        c.expect(220)
        for cmd in ("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"):
            r = c.cmd(cmd)
            self.assertEqual((r.code, r.lines[0][:5]), (503, "5.5.1"), (cmd, r))
        c.expect(250, "EHLO x")
        for cmd in ("RCPT TO:<b@example.org>", "DATA", "BDAT 0 LAST"):
            r = c.cmd(cmd)
            self.assertEqual((r.code, r.lines[0][:5]), (503, "5.5.1"), (cmd, r))
        c.expect(250, "MAIL FROM:<a@example.org>")
        r = c.cmd("MAIL FROM:<a@example.org>")
        self.assertEqual((r.code, r.lines[0][:5]), (503, "5.5.1"), r)
        r = c.cmd("DATA")
        self.assertEqual((r.code, r.lines[0][:5]), (503, "5.5.1"), r)
        c.expect(250, "RSET")
        r = c.cmd("RCPT TO:<b@example.org>")
        self.assertEqual(r.code, 503, "RSET must end the transaction")
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "EHLO again")   # a new EHLO resets the transaction
        self.assertEqual(c.cmd("RCPT TO:<b@example.org>").code, 503)

    def test_unknown_command(self):
        c = self.greeted()
        for cmd in ("FOO", "MAILFROM:<a@b>", "XYZZY arg", "EHL"):
            r = c.cmd(cmd)
            self.assertEqual((r.code, r.lines[0][:5]), (500, "5.5.1"), (cmd, r))
        self.assertEqual(c.cmd("noop").code, 250)   # verbs are case-insensitive

    def test_rcpt_null_path_refused(self):
        c = self.greeted()
        c.expect(250, "MAIL FROM:<>")
        r = c.cmd("RCPT TO:<>")
        self.assertEqual(r.code // 100, 5, r)
        self.assertTrue(r.lines[0].startswith("5."), r)
        # the transaction still needs a valid recipient before DATA
        self.assertEqual(c.cmd("DATA").code, 503)

    def test_unknown_parameters(self):
        c = self.greeted()
        r = c.cmd("MAIL FROM:<a@example.org> FOO=BAR")
        self.assertEqual((r.code, r.lines[0][:5]), (555, "5.5.4"), r)
        c.expect(250, "MAIL FROM:<a@example.org>")
        r = c.cmd("RCPT TO:<b@example.org> NOTIFY=NEVER")
        self.assertEqual((r.code, r.lines[0][:5]), (555, "5.5.4"), r)

    def test_utf8_address_without_smtputf8(self):
        c = self.greeted()
        r = c.cmd("MAIL FROM:<jörg@bücher.example>".encode())
        self.assertEqual((r.code, r.lines[0][:5]), (553, "5.6.7"), r)
        c.expect(250, "MAIL FROM:<a@example.org>")
        r = c.cmd("RCPT TO:<用户@例子.广告>".encode())
        self.assertEqual((r.code, r.lines[0][:5]), (553, "5.6.7"), r)
        c.expect(250, "RSET")
        c.expect(250, "MAIL FROM:<jörg@bücher.example> SMTPUTF8".encode())
        c.expect(250, "RCPT TO:<用户@例子.广告>".encode())

    def test_helo_vrfy_help_rset_noop_quit(self):
        c = self.connect()
        c.expect(220)
        r = c.cmd("HELO old.client")
        self.assertEqual(r.code, 250)
        self.assertEqual(c.cmd("VRFY someone").code, 252)
        self.assertEqual(c.cmd("HELP").code, 214)
        self.assertEqual(c.cmd("RSET").code, 250)
        self.assertEqual(c.cmd("NOOP").code, 250)
        r = c.cmd("QUIT")
        self.assertEqual((r.code, r.lines[0][:5]), (221, "2.0.0"), r)
        self.assertEqual(c.read_until_closed(), b"")

    def test_greeting_and_ehlo(self):
        c = self.connect()
        r = c.reply()
        self.assertEqual(r.code, 220)
        self.assertIn("ESMTP smtpeek", r.text)
        r = c.cmd("EHLO x")
        exts = [l.split()[0].upper() for l in r.lines[1:]]
        for e in ("SIZE", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES", "SMTPUTF8",
                  "CHUNKING", "HELP"):
            self.assertIn(e, exts)
        self.assertIn("SIZE %d" % MAX_SIZE, r.lines)

    # -- limits ---------------------------------------------------------------------------------
    def test_command_line_too_long(self):
        c = self.greeted()
        line = b"MAIL FROM:<" + b"a" * 600 + b"@example.org>"
        r = c.cmd(line)
        self.assertEqual((r.code, r.lines[0][:5]), (500, "5.5.2"), r)
        # exactly 512 octets including CRLF is allowed
        ok = b"NOOP " + b"x" * (512 - 2 - 5)
        self.assertEqual(len(ok) + 2, 512)
        self.assertEqual(c.cmd(ok).code, 250)
        r = c.cmd(ok + b"y")
        self.assertEqual((r.code, r.lines[0][:5]), (500, "5.5.2"), r)
        # the session is still in sync
        self.assertEqual(c.cmd("NOOP").code, 250)
        c.expect(250, "MAIL FROM:<a@example.org>")

    def test_too_many_recipients(self):
        c = self.greeted()
        c.expect(250, "MAIL FROM:<a@example.org>")
        for i in range(MAX_RCPTS):
            c.expect(250, "RCPT TO:<r%d@example.org>" % i)
        r = c.cmd("RCPT TO:<one-too-many@example.org>")
        self.assertEqual((r.code, r.lines[0][:5]), (452, "4.5.3"), r)
        c.expect(354, "DATA")
        c.send(b"Subject: five rcpts\r\n\r\nx\r\n.\r\n")
        r = c.reply()
        self.assertEqual(r.code, 250, r)
        line = self.server.stored_line(fx.queued_id(r))
        self.assertIsNotNone(line)
        self.assertEqual(line.group(4).count("<"), MAX_RCPTS)
        self.assertNotIn("one-too-many", line.group(4))

    def test_size_limits(self):
        c = self.greeted()
        r = c.cmd("MAIL FROM:<a@example.org> SIZE=%d" % (MAX_SIZE + 1))
        self.assertEqual((r.code, r.lines[0][:5]), (552, "5.3.4"), r)
        c.expect(250, "MAIL FROM:<a@example.org> SIZE=%d" % MAX_SIZE)
        c.expect(250, "RCPT TO:<b@example.org>")
        c.expect(354, "DATA")
        before = self.store.count()
        c.send((b"y" * 998 + b"\r\n") * (MAX_SIZE // 1000 + 10) + b".\r\n")
        r = c.reply()
        self.assertEqual((r.code, r.lines[0][:5]), (552, "5.3.4"), r)
        self.assertEqual(self.store.count(), before)
        # still usable, also for BDAT over the limit
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        big = b"z" * (MAX_SIZE + 10)
        c.send(b"BDAT %d LAST\r\n" % len(big) + big)
        r = c.reply()
        self.assertEqual((r.code, r.lines[0][:5]), (552, "5.3.4"), r)
        self.assertEqual(self.store.count(), before)
        r = c.send_message("a@example.org", ["b@example.org"], b"Subject: fine\r\n")
        self.assertEqual(r.code, 250, r)

    def test_twenty_bad_commands_close(self):
        c = self.greeted()
        for i in range(19):
            self.assertEqual(c.cmd("BOGUS%d" % i).code, 500)
        r = c.cmd("BOGUS-last")
        # the 20th bad command is answered, then 421 and close (or 421 directly)
        if r.code == 500:
            r = c.reply()
        self.assertEqual((r.code, r.lines[0][:5]), (421, "4.7.0"), r)
        self.assertEqual(c.read_until_closed(), b"")

    def test_good_commands_do_not_count_as_bad(self):
        c = self.greeted()
        for i in range(30):
            self.assertEqual(c.cmd("NOOP").code, 250)
        for i in range(19):
            self.assertEqual(c.cmd("BOGUS").code, 500)
        self.assertEqual(c.cmd("NOOP").code, 250)


if __name__ == "__main__":
    fx.main()
