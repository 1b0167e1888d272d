"""STARTTLS, implicit TLS and AUTH with real clients (issue 5): Python smtplib, swaks, curl, and
raw sockets for what clients will not do (command injection, aborted and garbage handshakes)."""

import os
import smtplib
import socket
import ssl
import subprocess
import tempfile
import unittest

from smtpeek_fixture import IO_TIMEOUT, RawClient, Server

MESSAGE = b"From: app@example.com\r\nTo: dev@example.com\r\nSubject: over tls\r\n\r\nhello\r\n"


def client_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class TlsServer(Server):
    """A headless server with --tls-auto, its certificate generated in a private data folder."""

    def __init__(self, args=(), **kwargs):
        self.home = tempfile.TemporaryDirectory()
        env = {"XDG_DATA_HOME": self.home.name, "HOME": self.home.name}
        super().__init__(args=["--tls-auto"] + list(args), env=env, memory=True, **kwargs)

    def smtps_port(self):
        line = self.wait_line(r"^smtps \(implicit TLS\) listening on \S+:(\d+)$", start=0)
        return int(line.rsplit(":", 1)[1])


class StarttlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TlsServer(args=["--smtps-port", "0"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.server.home.cleanup()

    def test_certificate_generated_with_private_key(self):
        folders = [root for root, _, files in os.walk(self.server.home.name)
                   if "smtpeek-key.pem" in files]
        self.assertEqual(len(folders), 1)  # in the app data folder under XDG_DATA_HOME
        folder = folders[0]
        key = os.path.join(folder, "smtpeek-key.pem")
        self.assertTrue(os.path.exists(key))
        self.assertEqual(os.stat(key).st_mode & 0o777, 0o600)
        text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in",
                               os.path.join(folder, "smtpeek-cert.pem")],
                              capture_output=True, text=True, check=True).stdout
        for name in ("DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1"):
            self.assertIn(name, text)
        self.assertIsNotNone(self.server.wait_line(r"^tls certificate sha256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$"))

    def test_smtplib_starttls_and_login(self):
        mark = self.server.log_mark()
        with smtplib.SMTP(self.server.host, self.server.port, timeout=IO_TIMEOUT) as client:
            client.ehlo()
            self.assertTrue(client.has_extn("starttls"))
            client.starttls(context=client_context())
            client.ehlo()
            self.assertFalse(client.has_extn("starttls"))  # offered only before TLS
            client.login("alice", "wonderland")
            self.assertEqual(client.sendmail("app@example.com", ["dev@example.com"], MESSAGE), {})
        self.assertIsNotNone(self.server.wait_line(r"^message \d+ stored: .*subject \"over tls\"",
                                                   start=mark))

    def test_smtplib_implicit_tls(self):
        with smtplib.SMTP_SSL(self.server.host, self.server.smtps_port(), timeout=IO_TIMEOUT,
                              context=client_context()) as client:
            client.login("bob", "builder")
            self.assertEqual(client.sendmail("a@example.com", ["b@example.com"], MESSAGE), {})
            self.assertEqual(client.sock.version(), "TLSv1.3")

    def test_swaks_tls_and_mechanisms(self):
        for mechanism in ("PLAIN", "LOGIN", "CRAM-MD5"):
            result = subprocess.run(
                ["swaks", "--server", "%s:%d" % (self.server.host, self.server.port), "--tls",
                 "--auth", mechanism, "--auth-user", "u", "--auth-password", "p",
                 "--to", "dev@example.com", "--from", "app@example.com"],
                capture_output=True, text=True, timeout=IO_TIMEOUT)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("235 2.7.0", result.stdout)
            self.assertIn("queued as", result.stdout)

    def test_swaks_tlsc(self):
        result = subprocess.run(
            ["swaks", "--server", "%s:%d" % (self.server.host, self.server.smtps_port()), "--tlsc",
             "--to", "dev@example.com"], capture_output=True, text=True, timeout=IO_TIMEOUT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("queued as", result.stdout)

    def test_curl_ssl_reqd_and_smtps(self):
        with tempfile.NamedTemporaryFile() as message:
            message.write(MESSAGE)
            message.flush()
            for url, extra in (("smtp://%s:%d" % (self.server.host, self.server.port), ["--ssl-reqd"]),
                               ("smtps://%s:%d" % (self.server.host, self.server.smtps_port()), [])):
                result = subprocess.run(["curl", "-sS", "-k", url, "--mail-from", "a@example.com",
                                         "--mail-rcpt", "b@example.com", "-T", message.name,
                                         "-u", "user:secret"] + extra,
                                        capture_output=True, timeout=IO_TIMEOUT)
                self.assertEqual(result.returncode, 0, result.stderr)

    def test_command_injection_after_starttls_is_discarded(self):
        mark = self.server.log_mark()
        client = RawClient(self.server.host, self.server.port)
        client.greet()
        # CVE-2011-0411: commands pipelined in the clear after STARTTLS must not run in TLS.
        client.send(b"STARTTLS\r\nMAIL FROM:<evil@example.com>\r\n")
        client.expect(220)
        tls = client_context().wrap_socket(client.sock, server_hostname="localhost")
        client.sock, client.buf = tls, b""
        client.send(b"EHLO x\r\n")
        client.expect(250)
        client.send(b"RCPT TO:<dev@example.com>\r\n")
        self.assertEqual(client.reply().code, 503)  # the injected MAIL was never executed
        client.send(b"QUIT\r\n")
        client.expect(221)
        tls.close()
        line = self.server.wait_line(r"^session \d+ ended: .*command injection attempt", start=mark)
        self.assertIsNotNone(line)

    def test_starttls_twice_and_inside_transaction(self):
        with RawClient(self.server.host, self.server.port) as client:
            client.greet()
            client.send(b"MAIL FROM:<a@example.com>\r\n")
            client.expect(250)
            client.send(b"STARTTLS\r\n")
            self.assertEqual(client.reply().code, 503)
            client.send(b"RSET\r\nSTARTTLS now\r\n")
            client.expect(250)
            self.assertEqual(client.reply().code, 501)
        with smtplib.SMTP(self.server.host, self.server.port, timeout=IO_TIMEOUT) as client:
            client.starttls(context=client_context())
            code, _ = client.docmd("STARTTLS")
            self.assertEqual(code, 503)

    def test_aborted_handshake_and_garbage_keep_the_server_serving(self):
        mark = self.server.log_mark()
        with RawClient(self.server.host, self.server.port) as client:
            client.greet()
            client.send(b"STARTTLS\r\n")
            client.expect(220)
            client.send(b"\x16\x03\x01\x00\x05hello")  # a truncated ClientHello, then hang up
        garbage = socket.create_connection((self.server.host, self.server.smtps_port()),
                                           timeout=IO_TIMEOUT)
        garbage.sendall(b"EHLO this is not TLS\r\n" * 10)
        garbage.settimeout(IO_TIMEOUT)
        while garbage.recv(4096):
            pass  # the server closes the connection
        garbage.close()
        self.assertIsNotNone(self.server.wait_count(r"^session \d+ ended: (error|dropped)", 2,
                                                    start=mark))
        with smtplib.SMTP(self.server.host, self.server.port, timeout=IO_TIMEOUT) as client:
            self.assertEqual(client.noop()[0], 250)


class HandshakeTimeoutTest(unittest.TestCase):
    """A client that opens a TLS handshake and never finishes it is closed at
    --tls-handshake-timeout, after STARTTLS and on the SMTPS port alike."""

    def test_stalled_handshakes_are_closed(self):
        server = TlsServer(args=["--smtps-port", "0", "--tls-handshake-timeout", "1"]).start()
        self.addCleanup(server.home.cleanup)
        self.addCleanup(server.stop)
        mark = server.log_mark()
        with RawClient(server.host, server.port) as client:
            client.greet()
            client.send(b"STARTTLS\r\n")
            client.expect(220)
            _, closed = client.drain(10)
            self.assertTrue(closed, "the server kept a stalled STARTTLS handshake open")
        with socket.create_connection((server.host, server.smtps_port()), timeout=10) as silent:
            silent.settimeout(10)
            try:
                self.assertEqual(silent.recv(4096), b"")  # closed, with no greeting
            except ConnectionResetError:
                pass  # closed too, without the grace of a FIN
        self.assertIsNotNone(server.wait_count(r"^session \d+ ended: timeout", 2, start=mark))
        with smtplib.SMTP(server.host, server.port, timeout=IO_TIMEOUT) as client:
            self.assertEqual(client.noop()[0], 250)


class PolicyTest(unittest.TestCase):
    def start(self, *args):
        server = TlsServer(args=args).start()
        self.addCleanup(server.home.cleanup)
        self.addCleanup(server.stop)
        return server

    def test_user_list(self):
        with tempfile.NamedTemporaryFile("w", suffix=".users") as users:
            users.write("# test users\nalice:secret\n")
            users.flush()
            server = self.start("--auth", "users:" + users.name)
            with smtplib.SMTP(server.host, server.port, timeout=IO_TIMEOUT) as client:
                client.starttls(context=client_context())
                with self.assertRaises(smtplib.SMTPAuthenticationError) as wrong:
                    client.login("alice", "guess")
                self.assertEqual(wrong.exception.smtp_code, 535)
                client.login("alice", "secret")
            result = subprocess.run(
                ["swaks", "--server", "%s:%d" % (server.host, server.port), "--tls", "--auth",
                 "CRAM-MD5", "--auth-user", "alice", "--auth-password", "secret", "--to", "d@e.f"],
                capture_output=True, text=True, timeout=IO_TIMEOUT)
            self.assertIn("235 2.7.0", result.stdout)

    def test_require_tls_and_auth(self):
        server = self.start("--require-tls", "--require-auth", "--auth-tls-only")
        with RawClient(server.host, server.port) as client:
            greeting = client.greet()
            self.assertNotIn("AUTH", greeting.text)  # not offered before TLS
            client.send(b"MAIL FROM:<a@example.com>\r\n")
            reply = client.reply()
            self.assertEqual((reply.code, reply.lines[0][:5]), (530, "5.7.0"))
            client.send(b"AUTH PLAIN AGEAYg==\r\n")
            reply = client.reply()
            self.assertEqual((reply.code, reply.lines[0][:6]), (538, "5.7.11"))
        with smtplib.SMTP(server.host, server.port, timeout=IO_TIMEOUT) as client:
            client.starttls(context=client_context())
            client.ehlo()
            code, text = client.docmd("MAIL FROM:<a@example.com>")
            self.assertEqual((code, text[:5]), (530, b"5.7.0"))  # TLS now, but no AUTH yet
            client.login("u", "p")
            self.assertEqual(client.sendmail("a@example.com", ["b@example.com"], MESSAGE), {})

    def test_bad_base64_cancel_and_oversized_auth_line(self):
        server = self.start()
        with RawClient(server.host, server.port) as client:
            client.greet()
            client.send(b"AUTH PLAIN not*base64\r\n")
            self.assertEqual(client.reply().lines[0][:5], "5.5.2")
            client.send(b"AUTH LOGIN\r\n")
            client.expect(334)
            client.send(b"*\r\n")
            reply = client.reply()
            self.assertEqual((reply.code, reply.lines[0][:5]), (501, "5.7.0"))
            client.send(b"AUTH PLAIN " + b"A" * 20000 + b"\r\n")
            self.assertEqual(client.reply().code, 500)  # over RFC 4954's 12288 octets
            client.send(b"NOOP\r\n")
            client.expect(250)


if __name__ == "__main__":
    unittest.main(verbosity=2)
