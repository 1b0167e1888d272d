#!/usr/bin/env python3
"""Real command-line clients against the real binary: curl (smtp://, --mail-from, --mail-rcpt,
--upload-file) and swaks (plain, --pipeline, 8-bit, a 5 MB message, dot-stuffing)."""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402
from test_smtplib import big_body  # noqa: E402

CLIENT_TIMEOUT = 120


class ClientsTest(fx.ServerTestCase):
    server_args = ("--max-size", str(8 * 1024 * 1024))

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def run_client(self, argv):
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=CLIENT_TIMEOUT)
        return p

    # -- curl ---------------------------------------------------------------------------------
    def curl(self, path, mail_from, rcpts, extra=()):
        if not shutil.which("curl"):
            self.skipTest("curl not installed")
        argv = ["curl", "-v", "-sS", "--max-time", str(CLIENT_TIMEOUT),
                "smtp://%s:%d/curl.test" % (self.server.host, self.server.port),
                "--mail-from", mail_from]
        for r in rcpts:
            argv += ["--mail-rcpt", r]
        argv += ["--upload-file", path] + list(extra)
        p = self.run_client(argv)
        err = p.stderr.decode(errors="replace")
        self.assertEqual(p.returncode, 0, err[-3000:])
        m = re.findall(r"^< 250 2\.0\.0 Ok: queued as (\d+)\r?$", err, re.M)
        self.assertEqual(len(m), 1, err[-3000:])
        return int(m[0]), err

    def test_curl_simple(self):
        raw = (b"From: curl <curl@example.org>\r\nTo: a@example.net\r\nSubject: via curl\r\n"
               b"\r\nHello from curl.\r\n")
        path = self.write("curl-simple.eml", raw)
        msg_id, err = self.curl(path, "curl@example.org", ["a@example.net", "b@example.net"])
        self.assertIn("> EHLO curl.test", err)
        self.assertStored(msg_id, raw)
        line = self.server.stored_line(msg_id)
        self.assertIsNotNone(line)
        self.assertEqual(line.group(3), "curl@example.org")
        self.assertEqual(line.group(4), "<a@example.net> <b@example.net>")
        self.assertEqual(line.group(6), "via curl")

    def test_curl_dot_stuffing_and_8bit(self):
        raw = (b"Subject: curl dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle . dot\r\n"
               b"8bit: \xc3\xa9\xe2\x9c\x93 \xff\r\n.\r\nend\r\n")
        path = self.write("curl-dots.eml", raw)
        msg_id, _ = self.curl(path, "dots@example.org", ["a@example.net"])
        self.assertStored(msg_id, raw)

    def test_curl_smtputf8(self):
        raw = "Subject: ünïcode via curl\r\n\r\nGrüße ✓\r\n".encode()
        path = self.write("curl-utf8.eml", raw)
        msg_id, err = self.curl(path, "jörg@bücher.example", ["用户@例子.广告"])
        # curl asks for SMTPUTF8 by itself and IDNA-encodes the domains
        sent = re.search(r"^> MAIL FROM:<([^>]*)>.*SMTPUTF8", err, re.M)
        self.assertIsNotNone(sent, err[-2000:])
        self.assertStored(msg_id, raw)
        row = self.store.message(msg_id)
        self.assertEqual(row["smtputf8"], 1)
        self.assertEqual(bytes(row["mail_from"]).decode(), sent.group(1))
        self.assertTrue(sent.group(1).startswith("jörg@"))
        line = self.server.stored_line(msg_id)
        self.assertTrue(line.group(4).startswith("<用户@"), line.group(0))

    def test_curl_5mb(self):
        raw = b"Subject: curl big\r\n\r\n" + big_body(5 * 1024 * 1024)
        path = self.write("curl-big.eml", raw)
        msg_id, err = self.curl(path, "big@example.org", ["a@example.net"])
        self.assertStored(msg_id, raw)

    def test_curl_size_over_limit(self):
        if not shutil.which("curl"):
            self.skipTest("curl not installed")
        raw = b"Subject: curl too big\r\n\r\n" + big_body(9 * 1024 * 1024)
        path = self.write("curl-toobig.eml", raw)
        before = self.store.count()
        # curl announces SIZE= (the server advertises SIZE), so this is refused at MAIL
        p = self.run_client(["curl", "-v", "-sS", "--max-time", str(CLIENT_TIMEOUT),
                             "smtp://%s:%d" % (self.server.host, self.server.port),
                             "--mail-from", "a@example.org", "--mail-rcpt", "b@example.org",
                             "--upload-file", path])
        err = p.stderr.decode(errors="replace")
        self.assertNotEqual(p.returncode, 0)
        self.assertRegex(err, r"< 552 5\.3\.4")
        self.assertEqual(self.store.count(), before)

    # -- swaks --------------------------------------------------------------------------------
    def swaks(self, args):
        if not shutil.which("swaks"):
            self.skipTest("swaks not installed")
        argv = ["swaks", "--server", "%s:%d" % (self.server.host, self.server.port),
                "--helo", "swaks.test", "--timeout", str(CLIENT_TIMEOUT)] + list(args)
        p = self.run_client(argv)
        out = p.stdout.decode(errors="replace")
        return p.returncode, out

    def swaks_ok(self, args):
        """swaks always sends CRLF before the final dot: data files here end WITHOUT a line
        break, and what is stored is the file plus CRLF."""
        rc, out = self.swaks(args)
        self.assertEqual(rc, 0, out[-3000:])
        m = re.findall(r"<-  250 2\.0\.0 Ok: queued as (\d+)", out)
        self.assertEqual(len(m), 1, out[-3000:])
        return int(m[0]), out

    def test_swaks_simple(self):
        raw = (b"From: swaks@example.org\r\nTo: r@example.net\r\nSubject: via swaks\r\n\r\n"
               b"Hello from swaks.\r\n")
        path = self.write("swaks-simple.eml", raw[:-2])
        msg_id, out = self.swaks_ok(["--from", "swaks@example.org",
                                     "--to", "r@example.net,s@example.net", "--data", path])
        self.assertStored(msg_id, raw)
        row = self.store.message(msg_id)
        self.assertEqual(bytes(row["helo"]), b"swaks.test")
        self.assertEqual(bytes(row["mail_from"]), b"swaks@example.org")
        line = self.server.stored_line(msg_id)
        self.assertEqual(line.group(4), "<r@example.net> <s@example.net>")

    def test_swaks_generated_message(self):
        msg_id, out = self.swaks_ok(["--from", "gen@example.org", "--to", "r@example.net",
                                     "--header", "Subject: swaks generated",
                                     "--body", "generated body"])
        raw = self.store.raw(msg_id)
        self.assertIsNotNone(raw)
        self.assertIn(b"\r\nSubject: swaks generated\r\n", raw)
        self.assertIn(b"\r\n\r\ngenerated body\r\n", raw)
        self.assertEqual(self.store.message(msg_id)["h_subject"], "swaks generated")

    def test_swaks_pipeline(self):
        raw = b"Subject: swaks pipelined\r\n\r\n.dot first\r\nline\r\n"
        path = self.write("swaks-pipe.eml", raw[:-2])
        msg_id, out = self.swaks_ok(["--pipeline", "--from", "p@example.org",
                                     "--to", "a@example.net,b@example.net,c@example.net",
                                     "--data", path])
        # swaks really pipelined: the commands went out before the replies came back
        self.assertRegex(out, r" -> MAIL FROM:<p@example\.org>\n -> RCPT TO:<a@example\.net>")
        self.assertStored(msg_id, raw)
        self.assertEqual(self.server.stored_line(msg_id).group(4),
                         "<a@example.net> <b@example.net> <c@example.net>")

    def test_swaks_8bit_body_and_5mb(self):
        raw = ("Subject: swaks 8bit\r\n\r\nÜmlaut ✓\r\n".encode()
               + big_body(5 * 1024 * 1024))
        path = self.write("swaks-big.eml", raw[:-2])
        msg_id, _ = self.swaks_ok(["--from", "b@example.org", "--to", "r@example.net",
                                   "--data", path, "--suppress-data"])
        self.assertStored(msg_id, raw)


if __name__ == "__main__":
    fx.main()
