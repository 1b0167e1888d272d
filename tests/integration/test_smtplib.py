#!/usr/bin/env python3
"""Python smtplib against the real headless binary: simple, 8-bit, SMTPUTF8, 5 MB,
dot-stuffing round trip, SIZE limits."""

import hashlib
import smtplib
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402

MAX_SIZE = 8 * 1024 * 1024


def big_body(size):
    """Deterministic, CRLF-terminated lines of varied content, `size` bytes or a bit more."""
    lines, total, i = [], 0, 0
    while total < size:
        seed = hashlib.sha256(str(i).encode()).hexdigest()
        line = ("%06d " % i + seed * (1 + i % 3)).encode()[: 20 + (i * 37) % 900] + b"\r\n"
        if i % 101 == 0:
            line = b"." + line          # must survive dot-stuffing
        lines.append(line)
        total += len(line)
        i += 1
    return b"".join(lines)


class SmtplibTest(fx.ServerTestCase):
    server_args = ("--max-size", str(MAX_SIZE), "--hostname", "it.smtpeek.test")

    def client(self):
        s = smtplib.SMTP(self.server.host, self.server.port, local_hostname="smtplib.test",
                         timeout=fx.IO_TIMEOUT)
        self.addCleanup(self._close, s)
        return s

    @staticmethod
    def _close(s):
        try:
            s.quit()
        except (smtplib.SMTPException, OSError):
            s.close()

    def send(self, s, mail_from, rcpts, raw, options=()):
        code, _ = s.mail(mail_from, list(options))
        self.assertEqual(code, 250)
        for r in rcpts:
            code, _ = s.rcpt(r)
            self.assertEqual(code, 250)
        code, text = s.data(raw)
        self.assertEqual(code, 250, text)
        self.assertRegex(text.decode(), r"^2\.0\.0 Ok: queued as \d+$")
        return fx.queued_id(text.decode())

    def test_ehlo_advertises_extensions(self):
        s = self.client()
        code, _ = s.ehlo()
        self.assertEqual(code, 250)
        for ext in ("size", "8bitmime", "pipelining", "enhancedstatuscodes", "smtputf8",
                    "chunking"):
            self.assertTrue(s.has_extn(ext), ext)
        self.assertEqual(s.esmtp_features["size"], str(MAX_SIZE))

    def test_simple_message(self):
        raw = (b"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n"
               b"Subject: simple smtplib\r\nMessage-ID: <simple@it>\r\n\r\nHello Bob.\r\n")
        s = self.client()
        mark = self.server.log_mark()
        s.sendmail("alice@example.org", ["bob@example.net", "carol@example.net"], raw)
        line = self.server.wait_line(r'subject "simple smtplib"', start=mark)
        self.assertIsNotNone(line, self.server.lines)
        m = fx.STORED_RE.match(line)
        self.assertEqual(m.group(3), "alice@example.org")
        self.assertEqual(m.group(4), "<bob@example.net> <carol@example.net>")
        self.assertEqual(int(m.group(5)), len(raw))
        msg_id = int(m.group(1))
        self.assertStored(msg_id, raw)
        row = self.store.message(msg_id)
        self.assertEqual(bytes(row["mail_from"]), b"alice@example.org")
        self.assertEqual(row["size"], len(raw))
        self.assertEqual(row["h_subject"], "simple smtplib")
        self.assertEqual(bytes(row["helo"]), b"smtplib.test")

    def test_null_sender_and_several_messages_per_session(self):
        s = self.client()
        s.ehlo()
        ids = []
        for i in range(3):
            raw = b"Subject: bounce %d\r\n\r\nbody %d\r\n" % (i, i)
            ids.append((self.send(s, "", ["postmaster@example.org"], raw), raw))
            code, _ = s.rset()
            self.assertEqual(code, 250)
        self.assertEqual(len({i for i, _ in ids}), 3, "ids must be distinct")
        for msg_id, raw in ids:
            self.assertStored(msg_id, raw)
            self.assertEqual(bytes(self.store.message(msg_id)["mail_from"] or b""), b"")

    def test_8bitmime(self):
        raw = ("Subject: =?utf-8?q?8bit?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: 8bit\r\n\r\n"
               "Grüße aus Köln — ünïcödé ✓\r\n").encode() + b"latin1: \xe9\xe8\xff\x80\r\n"
        s = self.client()
        s.ehlo()
        msg_id = self.send(s, "sender@example.org", ["r@example.org"], raw, ["BODY=8BITMIME"])
        self.assertStored(msg_id, raw)
        self.assertEqual(self.store.message(msg_id)["body"].upper(), "8BITMIME")

    def test_smtputf8_addresses(self):
        raw = ("From: Jörg <jörg@bücher.example>\r\nTo: 用户@例子.广告\r\n"
               "Subject: ünicode\r\n\r\nBody ✓\r\n").encode()
        s = self.client()
        s.ehlo()
        mark = self.server.log_mark()
        msg_id = self.send(s, "jörg@bücher.example", ["用户@例子.广告"], raw,
                           ["SMTPUTF8", "BODY=8BITMIME"])
        self.assertStored(msg_id, raw)
        row = self.store.message(msg_id)
        self.assertEqual(bytes(row["mail_from"]), "jörg@bücher.example".encode())
        self.assertEqual(row["smtputf8"], 1)
        line = self.server.wait_line(r"^message %d stored" % msg_id, start=mark)
        self.assertIsNotNone(line)
        self.assertIn("to <用户@例子.广告>", line)

    def test_dot_stuffing_round_trip(self):
        raw = (b"Subject: dots\r\n\r\n"
               b".\r\n"                  # a lone dot: must not end the message
               b"..\r\n"
               b".leading dot\r\n"
               b"...three\r\n"
               b" . not at start\r\n"
               b".\r\n"
               b"last line.\r\n")
        s = self.client()
        s.ehlo()
        msg_id = self.send(s, "a@example.org", ["b@example.org"], raw)
        self.assertStored(msg_id, raw)

    def test_5mb_message(self):
        raw = b"Subject: five megabytes\r\n\r\n" + big_body(5 * 1024 * 1024)
        s = self.client()
        s.ehlo()
        msg_id = self.send(s, "big@example.org", ["r@example.org"], raw,
                           ["SIZE=%d" % len(raw)])
        self.assertStored(msg_id, raw)
        self.assertEqual(self.store.message(msg_id)["size"], len(raw))

    def test_size_parameter_over_limit_refused_at_mail(self):
        s = self.client()
        s.ehlo()
        code, text = s.mail("a@example.org", ["SIZE=%d" % (MAX_SIZE + 1)])
        self.assertEqual(code, 552, text)
        self.assertTrue(text.startswith(b"5.3.4"), text)
        # the session is still usable
        raw = b"Subject: after 552\r\n\r\nok\r\n"
        msg_id = self.send(s, "a@example.org", ["b@example.org"], raw, ["SIZE=%d" % len(raw)])
        self.assertStored(msg_id, raw)

    def test_oversized_data_refused_after_final_dot(self):
        before = self.store.count()
        raw = b"Subject: too big\r\n\r\n" + big_body(MAX_SIZE + 4096)
        s = self.client()
        s.ehlo()
        self.assertEqual(s.mail("a@example.org")[0], 250)   # no SIZE= : server cannot know
        self.assertEqual(s.rcpt("b@example.org")[0], 250)
        code, text = s.data(raw)
        self.assertEqual(code, 552, text)
        self.assertTrue(text.startswith(b"5.3.4"), text)
        self.assertEqual(self.store.count(), before, "an oversized message was stored")
        # same session goes on
        self.assertEqual(s.noop()[0], 250)
        raw2 = b"Subject: after oversize\r\n\r\nstill here\r\n"
        msg_id = self.send(s, "a@example.org", ["b@example.org"], raw2)
        self.assertStored(msg_id, raw2)


if __name__ == "__main__":
    fx.main()
