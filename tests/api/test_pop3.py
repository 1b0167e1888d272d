"""POP3 (--pop3) over the real binary with real clients: Python's poplib (USER/PASS, AUTH
PLAIN, STLS with the SMTP certificate, UIDL, TOP, DELE+QUIT), curl pop3:// and fetchmail;
messages byte-exact against the API's raw; a login as a tag or an address shows that mailbox;
bad input (long lines, RETR of a deleted message, a vanished client) answered, never a stall."""

import os
import poplib
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import unittest

from api_fixture import Smtpeek

# Dots at line starts, a lone dot line, a bare LF: what dot-stuffing must survive.
TRICKY = (b"From: app@example.org\r\nTo: user@example.net\r\nSubject: dots\r\n\r\n"
          b".leading dot\r\n..two dots\r\nbare\nlf\r\n.\r\nlast line")


def message(subject, to="user@example.net", extra=""):
    return ("From: app@example.org\r\nTo: %s\r\nSubject: %s\r\n%s\r\nLine one.\r\nLine two.\r\n"
            % (to, subject, extra)).encode()


class Pop3Server(Smtpeek):
    def __init__(self, extra_args=()):
        self.home = tempfile.TemporaryDirectory()
        super().__init__(["--pop3", "127.0.0.1:0", "--tls-auto"] + list(extra_args))
        self.env = {"XDG_DATA_HOME": self.home.name, "HOME": self.home.name}

    def start(self):
        super().start()
        line = self.wait_line(r"^pop3 listening on \S+:(\d+)$", start=0)
        assert line, self.lines
        self.pop3_port = int(line.rsplit(":", 1)[1])
        return self

    def pop(self):
        return poplib.POP3("127.0.0.1", self.pop3_port, timeout=30)


def retrieved(client, number):
    """RETR through poplib, which undoes the dot-stuffing and splits lines at CRLF."""
    _, lines, _ = client.retr(number)
    return b"\r\n".join(lines) + b"\r\n"


class Pop3Clients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Pop3Server(["--tag", "Billing=subject:invoice"]).start()

    @classmethod
    def tearDownClass(cls):
        alive = cls.server.alive()
        cls.server.stop()
        assert alive, cls.server.stderr.decode(errors="replace")[-3000:]
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def setUp(self):
        self.assertEqual(self.server.request("DELETE", "/api/v1/messages").status, 200)

    def send(self, data, to=("user@example.net",)):
        return self.server.send("app@example.org", list(to), data)

    def test_poplib_reads_byte_exact_and_deletes(self):
        ids = [self.send(message("first")), self.send(TRICKY)]
        client = self.server.pop()
        self.assertTrue(client.getwelcome().startswith(b"+OK"))
        caps = client.capa()
        for cap in ("TOP", "UIDL", "USER", "SASL", "STLS"):
            self.assertIn(cap, caps)
        self.assertEqual(caps["SASL"], ["PLAIN"])
        self.assertEqual(self.server.get_json("/api/v1/info")["POP3Listen"],
                         "127.0.0.1:%d" % self.server.pop3_port)
        client.user("anyone")
        client.pass_("any password")
        self.assertEqual(client.stat()[0], 2)
        self.assertEqual([line.split()[1] for line in client.uidl()[1]], [i.encode() for i in ids])
        raws = [self.server.get("/api/v1/message/%s/raw" % mid).body for mid in ids]
        self.assertEqual(retrieved(client, 1), raws[0])
        # poplib ends a line at a bare LF too (curl's test below sees it kept).
        self.assertEqual(retrieved(client, 2), raws[1].replace(b"bare\nlf", b"bare\r\nlf"))
        top = client.top(1, 1)[1]
        self.assertEqual(top[-2:], [b"", b"Line one."])
        self.assertEqual(client.dele(1)[:3], b"+OK")
        with self.assertRaises(poplib.error_proto) as refused:
            client.retr(1)
        self.assertIn(b"already deleted", refused.exception.args[0])
        self.assertEqual(client.list()[1], [b"2 %d" % len(TRICKY + b"\r\n")])
        client.quit()
        remaining = self.server.get_json("/api/v1/messages")["messages"]
        self.assertEqual([m["ID"] for m in remaining], [ids[1]])

    def test_rset_and_a_vanished_client_delete_nothing(self):
        self.send(message("kept"))
        client = self.server.pop()
        client.user("u")
        client.pass_("p")
        client.dele(1)
        client.rset()
        self.assertEqual(client.stat()[0], 1)
        client.dele(1)
        client.sock.close()  # gone without QUIT: no UPDATE state
        other = self.server.pop()
        other.user("u")
        other.pass_("p")
        self.assertEqual(other.stat()[0], 1)
        other.quit()

    def test_login_names_a_mailbox(self):
        self.send(message("your invoice"))
        self.send(message("hello", to="bob@example.org"), to=["bob@example.org"])
        self.send(message("other"))
        for user, subjects in (("billing", [b"Subject: your invoice"]),
                               ("bob@example.org", [b"Subject: hello"]),
                               ("someone", None)):
            client = self.server.pop()
            client.user(user)
            client.pass_("x")
            count = client.stat()[0]
            if subjects is None:
                self.assertEqual(count, 3)
            else:
                self.assertEqual(count, len(subjects), user)
                self.assertIn(subjects[0], client.top(1, 0)[1])
            client.quit()

    def test_auth_plain_and_stls(self):
        self.send(message("secret"))
        client = self.server.pop()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        client.stls(context)
        self.assertNotIn("STLS", client.capa())  # not offered twice
        # poplib has no AUTH: the exchange by hand, without and with an initial response.
        client._putcmd("AUTH PLAIN")
        self.assertTrue(client._getline()[0].startswith(b"+ "))
        client._putcmd("AGFsaWNlAHNlY3JldA==")  # \0alice\0secret
        self.assertTrue(client._getresp().startswith(b"+OK"))
        self.assertEqual(client.stat()[0], 1)
        client.quit()

    def test_curl_reads_over_pop3(self):
        if not shutil.which("curl"):
            self.skipTest("needs curl")
        mid = self.send(TRICKY)
        url = "pop3://127.0.0.1:%d/1" % self.server.pop3_port
        out = subprocess.run(["curl", "-s", "--user", "u:p", url], capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout, self.server.get("/api/v1/message/%s/raw" % mid).body)
        listing = subprocess.run(["curl", "-s", "--user", "u:p",
                                  "pop3://127.0.0.1:%d/" % self.server.pop3_port],
                                 capture_output=True, timeout=60)
        self.assertEqual(listing.stdout.strip(), b"1 %d" % len(TRICKY + b"\r\n"))

    def test_fetchmail_fetches_into_a_file(self):
        if not shutil.which("fetchmail"):
            self.skipTest("needs fetchmail (scripts/deps.sh test)")
        raw = message("for fetchmail")
        mid = self.send(raw)
        with tempfile.TemporaryDirectory() as home:
            mbox = os.path.join(home, "mbox")
            rc = os.path.join(home, "fetchmailrc")
            with open(rc, "w") as f:
                f.write("poll 127.0.0.1 protocol pop3 port %d user u password p sslproto '' "
                        "keep mda \"cat >> %s\"\n" % (self.server.pop3_port, mbox))
            os.chmod(rc, 0o600)
            out = subprocess.run(["fetchmail", "-f", rc, "--nosyslog", "-s", "--idfile",
                                  os.path.join(home, "ids")],
                                 capture_output=True, timeout=60, env={"HOME": home})
            self.assertIn(out.returncode, (0, 1), out.stderr)
            with open(mbox, "rb") as f:
                fetched = f.read()
        # fetchmail adds its Received: line and writes LF line ends; the message follows it.
        self.assertIn(self.server.get("/api/v1/message/%s/raw" % mid).body.replace(b"\r\n", b"\n"),
                      fetched)


class Pop3BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Pop3Server().start()

    @classmethod
    def tearDownClass(cls):
        alive = cls.server.alive()
        cls.server.stop()
        assert alive, cls.server.stderr.decode(errors="replace")[-3000:]
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def exchange(self, data):
        with socket.create_connection(("127.0.0.1", self.server.pop3_port), timeout=30) as s:
            f = s.makefile("rb")
            f.readline()
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            return f.read()

    def test_long_lines_unknown_commands_and_wrong_states(self):
        out = self.exchange(b"X" * 300 + b"\r\nSTAT\r\nFROB\r\nPASS x\r\nUSER u\r\nPASS p\r\n"
                            b"RETR 99\r\nRETR x\r\nTOP 1\r\nUSER again\r\nQUIT\r\n")
        lines = out.split(b"\r\n")
        self.assertTrue(lines[0].startswith(b"-ERR line too long"), lines)
        self.assertTrue(lines[1].startswith(b"-ERR command not valid"), lines)
        self.assertTrue(lines[2].startswith(b"-ERR unknown command FROB"), lines)
        self.assertTrue(lines[3].startswith(b"-ERR USER first"), lines)
        self.assertTrue(lines[5].startswith(b"+OK"), lines)
        for line in lines[6:10]:
            self.assertTrue(line.startswith(b"-ERR"), lines)
        self.assertTrue(lines[10].startswith(b"+OK"), lines)

    def test_a_megabyte_line_is_refused_and_others_go_on(self):
        with socket.create_connection(("127.0.0.1", self.server.pop3_port), timeout=30) as hog:
            hog.recv(100)
            hog.sendall(b"A" * (1 << 20))  # no line end yet: discarded as it comes
            client = self.server.pop()
            client.user("u")
            client.pass_("p")
            client.stat()
            client.quit()
            hog.sendall(b"\r\nNOOP\r\n")
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = hog.recv(1000)
                if not chunk:
                    break
                reply += chunk
        self.assertTrue(reply.startswith(b"-ERR line too long"), reply)

    def test_too_many_errors_close(self):
        out = self.exchange(b"BAD\r\n" * 30)
        self.assertIn(b"-ERR too many errors", out)
        self.assertEqual(out.count(b"\r\n"), 20)


if __name__ == "__main__":
    unittest.main()
