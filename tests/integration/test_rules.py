#!/usr/bin/env python3
"""Rules and Mailpit's chaos with the real binary, seen from real clients (smtplib, raw sockets,
urllib): each action's codes, timings and disconnects; greylisting with a retrying client; rate
limits; a TLS handshake that fails on purpose; black-holed messages; rules and chaos changed over
the API while clients send, with every 250 stored."""

import json
import os
import re
import smtplib
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402

API_RE = re.compile(r"api listening on (http://\S+)")
MESSAGE = "From: a@example.test\r\nTo: b@example.test\r\nSubject: %s\r\n\r\nbody\r\n"


def rule(name, stage, action, **fields):
    return dict({"Name": name, "Stage": stage, "Action": action}, **fields)


class RulesTest(fx.ProcessTestCase):

    def serve(self, rules=None, args=(), seed=None):
        args = list(args) + ["--api", "127.0.0.1:0"]
        if rules is not None:
            path = os.path.join(self.tmp.name, "rules-%d.json" % len(self.servers))
            document = {"Rules": rules}
            if seed is not None:
                document["Seed"] = seed
            with open(path, "w") as f:
                json.dump(document, f)
            args += ["--rules", path]
        s = self.start(args=args)
        line = s.wait_line(API_RE)
        self.assertIsNotNone(line, s.lines)
        s.api = API_RE.search(line).group(1)
        return s

    def http(self, s, method, path, body=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(s.api + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def total(self, s):
        status, body = self.http(s, "GET", "/api/v1/messages?limit=1")
        self.assertEqual(status, 200)
        return json.loads(body)["total"]

    def smtp(self, s):
        client = smtplib.SMTP(s.host, s.port, timeout=fx.IO_TIMEOUT)
        self.addCleanup(lambda: client.close())
        return client

    def test_reply_refuses_and_adds_no_recipient(self):
        s = self.serve([rule("blocked", "rcpt", "reply", When={"RcptTo": "@blocked\\.test$"},
                             Reply={"Code": 550, "Enhanced": "5.1.1", "Text": "No such user"})])
        client = self.smtp(s)
        refused = client.sendmail("a@example.test", ["x@blocked.test", "b@example.test"],
                                  MESSAGE % "partly")
        self.assertEqual(refused, {"x@blocked.test": (550, b"5.1.1 No such user")})
        with self.assertRaises(smtplib.SMTPRecipientsRefused):
            client.sendmail("a@example.test", ["y@blocked.test"], MESSAGE % "none")
        client.quit()
        s.wait_count(r"^message \d+ stored", 1)
        status, body = self.http(s, "GET", "/api/v1/messages")
        messages = json.loads(body)["messages"]
        self.assertEqual([m["To"][0]["Address"] for m in messages], ["b@example.test"])
        message = json.loads(self.http(s, "GET", "/api/v1/message/%s" % messages[0]["ID"])[1])
        self.assertEqual(message["Rules"], ["blocked"])  # the refusal was inside its transaction
        self.assertEqual(json.loads(self.http(s, "GET", "/api/v1/rules")[1])["Rules"][0]["Hits"], 2)
        status, body = self.http(s, "GET", "/api/v1/sessions")
        session = json.loads(body)["sessions"][0]
        self.assertIn("Rule 'blocked' answered in the server's stead", session["Warnings"])
        self.assertEqual(session["Rules"], ["blocked"])
        transcript = self.http(s, "GET", "/api/v1/session/%s/transcript?format=text" % session["ID"])[1]
        self.assertIn(b"[rule blocked: answered 550 5.1.1]", transcript)
        self.stop_ok(s)

    def test_delay_holds_the_answer(self):
        s = self.serve([rule("slow data", "data", "delay", DelayMs=600)])
        client = self.smtp(s)
        client.ehlo("x")
        client.mail("a@example.test")
        client.rcpt("b@example.test")
        began = time.monotonic()
        code, _ = client.docmd("DATA")
        waited = time.monotonic() - began
        self.assertEqual(code, 354)
        self.assertGreaterEqual(waited, 0.55)
        self.assertLess(waited, 5)
        client.send(b"Subject: late\r\n\r\nx\r\n.\r\n")
        self.assertEqual(client.getreply()[0], 250)
        client.quit()
        self.stop_ok(s)

    def test_disconnect_without_a_reply_and_after_part_of_one(self):
        s = self.serve([rule("drop", "mail", "disconnect", When={"MailFrom": "^drop@"}),
                        rule("cut", "rcpt", "disconnect", PartialBytes=4,
                             Reply={"Code": 250, "Enhanced": "2.1.5", "Text": "Ok"})])
        c = self.connect(s)
        c.expect(220)
        c.cmd("EHLO x")
        c.send(b"MAIL FROM:<drop@example.test>\r\n")
        self.assertEqual(c.sock.recv(100), b"")  # closed, nothing said
        c2 = self.connect(s)
        c2.expect(220)
        c2.cmd("EHLO x")
        c2.expect(250, "MAIL FROM:<a@example.test>")
        c2.send(b"RCPT TO:<b@example.test>\r\n")
        received = b""
        while True:
            chunk = c2.sock.recv(100)
            if not chunk:
                break
            received += chunk
        self.assertEqual(received, b"250 ")
        self.assertEqual(self.total(s), 0)
        self.stop_ok(s)

    def test_tarpit_sends_a_byte_at_a_time(self):
        s = self.serve([rule("tar", "helo", "tarpit", TarpitMs=20)])
        c = self.connect(s)
        c.expect(220)
        began = time.monotonic()
        reply = c.cmd("HELO client.test")
        waited = time.monotonic() - began
        self.assertEqual(reply.code, 250)
        self.assertGreaterEqual(waited, 0.02 * (len(reply.raw) - 2))
        c.expect(250, "NOOP")  # input resumes once the tarpit is through
        self.stop_ok(s)

    def test_greylisting_with_a_client_that_retries(self):
        s = self.serve([rule("grey", "rcpt", "greylist", Attempts=1, WindowSeconds=60)])
        client = self.smtp(s)
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("a@example.test", ["b@example.test"], MESSAGE % "first")
        self.assertEqual(refused.exception.recipients["b@example.test"][0], 451)
        self.assertEqual(client.sendmail("a@example.test", ["b@example.test"], MESSAGE % "retry"), {})
        with self.assertRaises(smtplib.SMTPRecipientsRefused):
            client.sendmail("a@example.test", ["c@example.test"], MESSAGE % "other triple")
        client.quit()
        s.wait_count(r"^message \d+ stored", 1)
        self.assertEqual(self.total(s), 1)
        self.stop_ok(s)

    def test_rate_limit_per_client(self):
        s = self.serve([rule("rate", "mail", "ratelimit", Limit=2, WindowSeconds=60)])
        client = self.smtp(s)
        for i in range(2):
            client.sendmail("a@example.test", ["b@example.test"], MESSAGE % i)
        with self.assertRaises((smtplib.SMTPSenderRefused, smtplib.SMTPServerDisconnected)) as over:
            client.sendmail("a@example.test", ["b@example.test"], MESSAGE % "third")
        if isinstance(over.exception, smtplib.SMTPSenderRefused):
            self.assertEqual(over.exception.smtp_code, 421)
        s.wait_count(r"^message \d+ stored", 2)
        self.assertEqual(self.total(s), 2)
        self.stop_ok(s)

    def test_tls_handshake_fails_on_purpose(self):
        s = self.serve([rule("no tls", "starttls", "tls-fail")], args=["--tls-auto"])
        client = self.smtp(s)
        client.ehlo("x")
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with self.assertRaises((ssl.SSLError, smtplib.SMTPServerDisconnected, ConnectionError, OSError)):
            client.starttls(context=context)
        self.stop_ok(s)

    def test_accept_discard_answers_250_and_keeps_nothing(self):
        s = self.serve([rule("hole", "message", "accept-discard", When={"Subject": "^drop"})])
        client = self.smtp(s)
        self.assertEqual(client.sendmail("a@example.test", ["b@example.test"], MESSAGE % "drop me"), {})
        client.sendmail("a@example.test", ["b@example.test"], MESSAGE % "keep me")
        client.quit()
        s.wait_count(r"^message \d+ stored", 1)
        status, body = self.http(s, "GET", "/api/v1/messages")
        self.assertEqual([m["Subject"] for m in json.loads(body)["messages"]], ["keep me"])
        self.stop_ok(s)

    def test_mailpit_chaos_api(self):
        s = self.serve(args=["--enable-chaos", "--chaos-triggers", "Sender:451:0"])
        status, body = self.http(s, "GET", "/api/v1/chaos")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {
            "Sender": {"ErrorCode": 451, "Probability": 0},
            "Recipient": {"ErrorCode": 451, "Probability": 0},
            "Authentication": {"ErrorCode": 451, "Probability": 0}})
        status, body = self.http(s, "PUT", "/api/v1/chaos",
                                 {"Recipient": {"ErrorCode": 552, "Probability": 100}})
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["Recipient"], {"ErrorCode": 552, "Probability": 100})
        self.assertEqual(json.loads(body)["Sender"]["Probability"], 0)
        for bad in ({"Sender": {"ErrorCode": 200, "Probability": 1}},
                    {"Sender": {"ErrorCode": 451, "Probability": 101}}, {"Helo": {}}):
            status, body = self.http(s, "PUT", "/api/v1/chaos", bad)
            self.assertEqual(status, 400, bad)
        client = self.smtp(s)
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("a@example.test", ["b@example.test"], MESSAGE % "chaos")
        self.assertEqual(refused.exception.recipients["b@example.test"][0], 552)
        self.stop_ok(s)

        plain = self.serve()
        self.assertEqual(self.http(plain, "GET", "/api/v1/chaos"), (400, b"Chaos is not enabled"))
        self.assertEqual(self.http(plain, "PUT", "/api/v1/chaos", {})[0], 400)
        self.stop_ok(plain)

    def test_bad_rules_are_refused_by_name(self):
        path = os.path.join(self.tmp.name, "bad.json")
        with open(path, "w") as f:
            json.dump({"Rules": [rule("late data", "rcpt", "reply", Reply={"Code": 354})]}, f)
        result = fx.run_binary(["--headless", "--memory", "--no-api", "--listen", "127.0.0.1:0",
                                "--rules", path])
        self.assertEqual(result.returncode, 2)
        self.assertIn('rule 1 "late data": Reply.Code 354 does not fit stage rcpt',
                      result.stderr.decode())
        result = fx.run_binary(["--headless", "--memory", "--no-api", "--chaos-triggers", "Sender:451:5"])
        self.assertEqual(result.returncode, 2)
        self.assertIn("--chaos-triggers needs --enable-chaos", result.stderr.decode())

        s = self.serve([])
        status, body = self.http(s, "PUT", "/api/v1/rules",
                                 {"Rules": [rule("x", "rcpt", "explode")]})
        self.assertEqual(status, 400)
        self.assertIn(b"rule 1 \"x\": Action 'explode' is not", body)
        self.stop_ok(s)

    def test_same_seed_same_refusals(self):
        coin = [rule("coin", "rcpt", "reply", Probability=50,
                     Reply={"Code": 451, "Enhanced": "4.3.0", "Text": "maybe"})]

        def outcomes():
            s = self.serve(coin, seed=2026)
            c = self.connect(s)
            c.expect(220)
            c.cmd("EHLO x")
            c.expect(250, "MAIL FROM:<a@example.test>")
            codes = [c.cmd("RCPT TO:<r%d@example.test>" % i).code for i in range(30)]
            self.stop_ok(s)
            return codes

        first = outcomes()
        self.assertEqual(outcomes(), first)
        self.assertIn(451, first)
        self.assertIn(250, first)

    def test_rules_changed_while_clients_send(self):
        s = self.serve([])
        acknowledged = []
        errors = []
        lock = threading.Lock()

        def send(n):
            try:
                client = smtplib.SMTP(s.host, s.port, timeout=30)
                for i in range(10):
                    try:
                        client.sendmail("a@example.test", ["b%d@example.test" % n], MESSAGE % ("%d-%d" % (n, i)))
                        with lock:
                            acknowledged.append((n, i))
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                        pass
                client.quit()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        refuse = {"Rules": [rule("odd", "rcpt", "reply", When={"RcptTo": "^b\\d*[13579]@"},
                                 Reply={"Code": 450, "Enhanced": "4.2.0", "Text": "busy"}),
                            rule("late", "message", "reply", Probability=30,
                                 Reply={"Code": 451, "Enhanced": "4.3.0", "Text": "later"})]}
        for i in range(20):
            status, _ = self.http(s, "PUT", "/api/v1/rules", refuse if i % 2 == 0 else {"Rules": []})
            self.assertEqual(status, 200)
            time.sleep(0.02)
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])
        s.wait_count(r"^message \d+ stored", len(acknowledged))
        self.assertEqual(self.total(s), len(acknowledged))
        self.stop_ok(s)


if __name__ == "__main__":
    fx.main()
