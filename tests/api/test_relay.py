#!/usr/bin/env python3
"""Release and relay (issue 14) against real upstreams: a second smtpeek, started headless with
STARTTLS, SMTPS and `--auth users:FILE` and checked through its own API, and a scripted fake for
what smtpeek cannot play (no 8BITMIME, a refused recipient, slowness, misbehaviour). Timeouts and
retry delays are short so that the whole module stays quick; nothing is judged on speed.
"""

import json
import os
import re
import shutil
import socket
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_fixture import IO_TIMEOUT, Smtpeek  # noqa: E402
from fake_upstream import FakeUpstream  # noqa: E402

PASSWORD = "s3cret-relay-pw"
# Short, for tests: a refused or silent upstream settles within seconds.
FAST = ["--relay-timeout", "2", "--relay-connect-timeout", "2", "--relay-data-timeout", "2",
        "--relay-retry-delay", "1", "--relay-retry-max-delay", "1"]
STORED_RE = r"^message (\d+) stored: session \d+, from <(.*?)> to (.*), \d+ bytes"

MESSAGE = (b"From: Sender <sender@example.org>\r\n"
           b"To: Someone <someone@example.org>\r\n"
           b"Bcc: hidden@example.org,\r\n"
           b" other-hidden@example.org\r\n"
           b"Subject: release me\r\n"
           b"Message-ID: <release-1@example.org>\r\n"
           b"\r\n"
           b"First line.\r\n"
           b".A line that starts with a dot\r\n"
           b"..and one with two\r\n"
           b"Last line.\r\n")
WITHOUT_BCC = MESSAGE.replace(b"Bcc: hidden@example.org,\r\n other-hidden@example.org\r\n", b"")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=IO_TIMEOUT, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class Upstream(Smtpeek):
    """A second smtpeek as the real upstream: STARTTLS with a generated certificate, SMTPS, AUTH
    only for the users of a file, its own data folder."""

    def __init__(self, extra_args=(), port=None):
        self.home = tempfile.mkdtemp(prefix="smtpeek-upstream-")
        users = os.path.join(self.home, "users")
        with open(users, "w") as f:
            f.write("relay:%s\n" % PASSWORD)
        args = ["--tls-auto", "--smtps-port", "0", "--auth", "users:" + users] + list(extra_args)
        super().__init__(args)
        if port:
            self.listen = False
            self.args += ["--listen", "127.0.0.1:%d" % port]
        self.env = {"XDG_DATA_HOME": self.home, "HOME": self.home}

    def smtps_port(self):
        line = self.wait_line(r"^smtps \(implicit TLS\) listening on \S+:(\d+)$", start=0)
        return int(line.rsplit(":", 1)[1])

    def stored(self):
        return self.get_json("/api/v1/messages")["messages"]

    def stop(self, *args, **kwargs):
        result = super().stop(*args, **kwargs)
        shutil.rmtree(self.home, ignore_errors=True)
        return result


def relay_args(upstream_port, *extra, user=True):
    args = ["--relay", "127.0.0.1:%d" % upstream_port, "--relay-insecure"] + FAST
    if user:
        args += ["--relay-user", "relay", "--relay-password", PASSWORD]
    return args + list(extra)


class RelayTestCase(unittest.TestCase):
    def release(self, server, message_id, to):
        return server.request("POST", "/api/v1/message/%s/release" % message_id, body={"To": to})

    def deliveries(self, server, message_id):
        return server.get_json("/api/v1/message/%s/deliveries" % message_id)

    def assert_clean_exit(self, server):
        server.stop()
        self.assertIsNone(server.sanitizer_report())
        self.assertEqual(server.proc.returncode, 0, server.stderr)


class ReleaseToSmtpeek(RelayTestCase):
    @classmethod
    def setUpClass(cls):
        cls.upstream = Upstream(["--auth-tls-only"]).start()
        cls.server = Smtpeek(relay_args(cls.upstream.port)).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.upstream.stop()

    def test_release_is_byte_exact_minus_bcc_over_starttls_and_auth(self):
        message_id = self.server.send("sender@example.org", ["someone@example.org"], MESSAGE)
        mark = self.upstream.log_mark()
        answer = self.release(self.server, message_id, ["a@example.org", "B <b@example.org>"])
        self.assertEqual((answer.status, answer.text), (200, "ok"))
        stored = self.upstream.wait_line(STORED_RE, start=mark)
        sender, to = re.match(STORED_RE, stored).group(2, 3)
        self.assertEqual(sender, "sender@example.org")
        self.assertEqual(to, "<a@example.org> <b@example.org>")  # the chosen, not the envelope
        upstream_id = re.match(STORED_RE, stored).group(1)
        raw = self.upstream.get("/api/v1/message/%s/raw" % upstream_id).body
        self.assertEqual(raw, WITHOUT_BCC)

        [delivery] = self.deliveries(self.server, message_id)
        self.assertEqual(delivery["Status"], "delivered")
        self.assertEqual(delivery["Kind"], "release")
        self.assertEqual(delivery["To"], ["a@example.org", "b@example.org"])
        [attempt] = delivery["Attempts"]
        self.assertEqual(attempt["Result"], "delivered")
        self.assertTrue(attempt["TLS"]["Protocol"].startswith("TLSv1."), attempt["TLS"])
        self.assertFalse(attempt["TLS"]["Verified"])  # --relay-insecure, on record
        self.assertTrue(attempt["Insecure"])
        self.assertEqual(attempt["AuthUser"], "relay")
        self.assertEqual([r["Code"] for r in attempt["Recipients"]], [250, 250])
        transcript = "".join(e["Text"] for e in attempt["Transcript"])
        self.assertIn("STARTTLS", transcript)
        self.assertIn("AUTH CRAM-MD5", transcript)  # the strongest smtpeek offers
        self.assertIn("[credentials hidden]", transcript)
        self.assertIn("[DATA: %d bytes" % len(WITHOUT_BCC), transcript)
        self.assertNotIn(PASSWORD, json.dumps(delivery))
        self.assertNotIn(PASSWORD, "\n".join(self.server.lines))
        directions = {e["Direction"] for e in attempt["Transcript"]}
        self.assertEqual(directions, {"client", "server", "event"})

    def test_binarymime_goes_on_byte_exact_with_bdat(self):
        import smtplib
        data = (b"From: s@example.org\r\nSubject: binary\r\nContent-Type: application/octet-stream"
                b"\r\nContent-Transfer-Encoding: binary\r\n\r\n\x00\x01 bare\nLF \xff\xfe\r\n.\r\n")
        with smtplib.SMTP(self.server.smtp_host, self.server.smtp_port,
                          timeout=IO_TIMEOUT) as client:
            client.ehlo()
            self.assertEqual(client.docmd("MAIL FROM:<s@example.org> BODY=BINARYMIME")[0], 250)
            self.assertEqual(client.rcpt("r@example.org")[0], 250)
            client.send(b"BDAT %d LAST\r\n" % len(data) + data)
            code, reply = client.getreply()
            self.assertEqual(code, 250, reply)
        message_id = re.search(rb"queued as (\d+)", reply).group(1).decode()
        mark = self.upstream.log_mark()
        answer = self.release(self.server, message_id, ["a@example.org"])
        self.assertEqual((answer.status, answer.text), (200, "ok"))
        upstream_id = re.match(STORED_RE, self.upstream.wait_line(STORED_RE, start=mark)).group(1)
        self.assertEqual(self.upstream.get("/api/v1/message/%s/raw" % upstream_id).body, data)
        [delivery] = self.deliveries(self.server, message_id)
        transcript = "".join(e["Text"] for e in delivery["Attempts"][0]["Transcript"])
        self.assertIn("BODY=BINARYMIME", transcript)
        self.assertIn("BDAT %d LAST" % len(data), transcript)

    def test_latest_and_bad_input(self):
        self.server.send("sender@example.org", ["someone@example.org"], MESSAGE)
        self.assertEqual(self.release(self.server, "latest", ["c@example.org"]).text, "ok")
        for to, named in ((["not-an-address"], "not-an-address"),
                          (["ok@example.org", "bad address@x"], "bad address@x"),
                          ([], "No valid addresses")):
            answer = self.release(self.server, "latest", to)
            self.assertEqual(answer.status, 400, answer.text)
            self.assertIn(named, answer.text)
        self.assertEqual(self.server.request("POST", "/api/v1/message/latest/release",
                                             raw_body=b"{nope").status, 400)
        self.assertEqual(self.release(self.server, "999999", ["c@example.org"]).status, 404)
        self.assertEqual(self.server.get("/api/v1/message/999999/deliveries").status, 404)

    def test_webui_reports_message_relay_as_mailpit(self):
        relay = self.server.get_json("/api/v1/webui")["MessageRelay"]
        self.assertEqual(relay["Enabled"], True)
        self.assertEqual(relay["SMTPServer"], "127.0.0.1:%d" % self.upstream.port)
        self.assertEqual(relay["AllowedRecipients"], "")
        self.assertEqual(relay["BlockedRecipients"], "")
        self.assertEqual(relay["ReturnPath"], "")

    def test_delivery_events(self):
        message_id = self.server.send("sender@example.org", ["someone@example.org"], MESSAGE)
        events = self.server.events()
        try:
            self.assertTrue(events.accepted)
            self.assertEqual(self.release(self.server, message_id, ["e@example.org"]).text, "ok")
            deadline = time.monotonic() + IO_TIMEOUT
            while True:
                event = events.wait_for("delivery", max(0.1, deadline - time.monotonic()))
                if event["Data"]["Status"] == "delivered":
                    break
            self.assertEqual(event["Data"]["MessageID"], message_id)
        finally:
            events.close()

    def test_partial_refusal_is_recorded(self):
        # This upstream takes one recipient per message: the second gets 452 4.5.3.
        with Upstream(["--max-recipients", "1"]) as upstream:
            with Smtpeek(relay_args(upstream.port)) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answer = self.release(server, message_id, ["one@example.org", "two@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("two@example.org: 452 4.5.3", answer.text)
                [delivery] = self.deliveries(server, message_id)
                self.assertEqual(delivery["Status"], "partial")
                codes = [r["Code"] for r in delivery["Attempts"][0]["Recipients"]]
                self.assertEqual(codes, [250, 452])
                stored = upstream.wait_line(STORED_RE)
                self.assertEqual(re.match(STORED_RE, stored).group(3), "<one@example.org>")
                self.assertEqual(len(upstream.stored()), 1)


class TlsAndAuth(RelayTestCase):
    def test_smtps_upstream(self):
        with Upstream() as upstream:
            port = upstream.smtps_port()
            with Smtpeek(relay_args(port, "--relay-tls", "smtps")) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                self.assertEqual(self.release(server, message_id, ["x@example.org"]).text, "ok")
                attempt = self.deliveries(server, message_id)[0]["Attempts"][0]
                self.assertNotIn("STARTTLS", "".join(e["Text"] for e in attempt["Transcript"]))
                self.assertIsNotNone(attempt["TLS"])
                self.assertEqual(len(upstream.stored()), 1)

    def test_certificate_is_verified_by_default(self):
        with Upstream() as upstream:
            args = [a for a in relay_args(upstream.port) if a != "--relay-insecure"]
            with Smtpeek(args) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answer = self.release(server, message_id, ["x@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("not trusted", answer.text)
                self.assertEqual(upstream.stored(), [])

    def test_wrong_password_fails_once_with_535(self):
        with Upstream() as upstream:
            args = relay_args(upstream.port, "--relay-all", user=False)
            args += ["--relay-user", "relay", "--relay-password", "wrong"]
            with Smtpeek(args) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answer = self.release(server, message_id, ["x@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("535", answer.text)
                # The auto-relay of the same message: failed for good after one attempt.
                auto = wait_until(lambda: [d for d in self.deliveries(server, message_id)
                                           if d["Kind"] == "auto-relay" and
                                           d["Status"] != "pending"], what="auto-relay result")
                self.assertEqual(auto[0]["Status"], "failed")
                self.assertEqual(len(auto[0]["Attempts"]), 1)
                self.assertIn("535", auto[0]["Attempts"][0]["Reason"])
                time.sleep(2.5)  # longer than the retry delay: nothing tries again
                self.assertEqual(len(self.deliveries(server, message_id)[1]["Attempts"]), 1)
                self.assertEqual(upstream.stored(), [])


class Rules(RelayTestCase):
    def test_allowed_and_blocked_recipients(self):
        with FakeUpstream() as fake:
            args = relay_args(fake.port, "--relay-allowed", r"@example\.org$",
                              "--relay-blocked", "^ceo@", user=False)
            with Smtpeek(args) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                refused = self.release(server, message_id, ["dev@example.org", "x@elsewhere.test"])
                self.assertEqual(refused.status, 400)
                self.assertIn("x@elsewhere.test", refused.text)
                self.assertIn("not an allowed recipient", refused.text)
                blocked = self.release(server, message_id, ["ceo@example.org"])
                self.assertEqual(blocked.status, 400)
                self.assertIn("blocked", blocked.text)
                self.assertEqual(fake.count(), 0)  # nothing left for a refused request
                self.assertEqual(self.deliveries(server, message_id), [])
                self.assertEqual(self.release(server, message_id, ["dev@example.org"]).text, "ok")
                self.assertEqual(fake.messages[0][1], ["dev@example.org"])
                relay = server.get_json("/api/v1/webui")["MessageRelay"]
                self.assertEqual(relay["AllowedRecipients"], r"@example\.org$")
                self.assertEqual(relay["BlockedRecipients"], "^ceo@")

    def test_nothing_leaves_without_release_or_auto_relay(self):
        with FakeUpstream() as fake:
            with Smtpeek(relay_args(fake.port, user=False)) as server:
                server.send("s@example.org", ["r@example.org"], MESSAGE)
                time.sleep(1.0)
                self.assertEqual(fake.connections, 0)

    def test_return_path_and_fresh_headers(self):
        with FakeUpstream() as fake:
            args = relay_args(fake.port, "--relay-from", "bounce@example.org",
                              "--relay-fresh-headers", user=False)
            with Smtpeek(args) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                self.assertEqual(self.release(server, message_id, ["x@example.org"]).text, "ok")
                mail_from, _, data = fake.messages[0]
                self.assertEqual(mail_from, "bounce@example.org")
                self.assertTrue(data.startswith(b"Return-Path: <bounce@example.org>\r\n"), data)
                self.assertNotIn(b"release-1@example.org", data)
                self.assertIn(b"\r\nDate: ", data)
                self.assertIn(b"\r\nSubject: release me\r\n", data)
                self.assertNotIn(b"Bcc:", data)


class UpstreamLimits(RelayTestCase):
    def test_missing_8bitmime_and_smtputf8_are_refused_with_a_reason(self):
        with FakeUpstream(extensions=["PIPELINING", "SIZE 100000"]) as fake:
            with Smtpeek(relay_args(fake.port, user=False)) as server:
                eight_bit = MESSAGE.replace(b"First line.", "Grüße.".encode())
                message_id = server.send("s@example.org", ["r@example.org"], eight_bit)
                answer = self.release(server, message_id, ["x@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("8BITMIME", answer.text)
                ascii_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answer = self.release(server, ascii_id, ["jürgen@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("SMTPUTF8", answer.text)
                self.assertEqual(fake.count(), 0)

    def test_size_is_checked_before_sending(self):
        with FakeUpstream(extensions=["SIZE 100"]) as fake:
            with Smtpeek(relay_args(fake.port, user=False)) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answer = self.release(server, message_id, ["x@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("SIZE", answer.text)
                self.assertEqual(fake.count(), 0)

    def test_permanent_recipient_refusal_without_pipelining(self):
        with FakeUpstream(extensions=["8BITMIME"], refuse={"gone@example.org"}) as fake:
            with Smtpeek(relay_args(fake.port, user=False)) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answer = self.release(server, message_id, ["gone@example.org", "ok@example.org"])
                self.assertEqual(answer.status, 400)
                self.assertIn("gone@example.org: 550 5.1.1", answer.text)
                self.assertEqual(fake.messages[0][1], ["ok@example.org"])
                self.assertEqual(fake.messages[0][2], WITHOUT_BCC)  # dot-unstuffed by the fake
                transcript = self.deliveries(server, message_id)[0]["Attempts"][0]["Transcript"]
                self.assertNotIn("PIPELINING", "".join(e["Text"] for e in transcript))


class BadUpstreams(RelayTestCase):
    def test_misbehaving_upstreams_fail_with_a_reason_in_time(self):
        cases = (("garbage", "not an SMTP reply"), ("endless-line", "longer than"),
                 ("silent", "no answer"), ("close-mid-data", "closed the connection"))
        for behaviour, reason in cases:
            with self.subTest(behaviour=behaviour), FakeUpstream(behaviour=behaviour) as fake:
                with Smtpeek(relay_args(fake.port, user=False)) as server:
                    message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                    answer = self.release(server, message_id, ["x@example.org"])
                    self.assertEqual(answer.status, 400)
                    self.assertIn(reason, answer.text)
                    # Capture goes on, and the API answers.
                    server.send("s@example.org", ["r@example.org"], MESSAGE)
                    self.assertEqual(server.get("/api/v1/info").status, 200)
                    self.assert_clean_exit(server)


    def test_a_waiting_release_holds_up_no_other_request(self):
        import threading
        with FakeUpstream(behaviour="silent") as fake:
            args = [a if a != "2" else "4" for a in relay_args(fake.port, user=False)]
            with Smtpeek(args) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                answers = []
                waiting = threading.Thread(target=lambda: answers.append(
                    self.release(server, message_id, ["x@example.org"])))
                waiting.start()
                wait_until(lambda: fake.connections > 0, what="the release to connect")
                # The API's thread serves others while the release waits for the upstream.
                self.assertEqual(server.get("/api/v1/info").status, 200)
                self.assertEqual(len(self.deliveries(server, message_id)), 1)
                self.assertTrue(waiting.is_alive())
                waiting.join()
                self.assertEqual(answers[0].status, 400)
                self.assertIn("no answer", answers[0].text)
                self.assert_clean_exit(server)


class AutoRelay(RelayTestCase):
    def test_upstream_down_then_up_delivers_exactly_once(self):
        port = free_port()
        args = relay_args(port, "--relay-all", "--relay-retries", "30")
        with Smtpeek(args) as server:
            message_id = server.send("s@example.org", ["r@example.org", "q@example.org"], MESSAGE)
            wait_until(lambda: [d for d in self.deliveries(server, message_id)
                                if d["Attempts"]], what="a failed attempt")
            [pending] = self.deliveries(server, message_id)
            self.assertEqual(pending["Status"], "pending")
            self.assertEqual(pending["Attempts"][0]["Result"], "temporary-failure")
            with Upstream(port=port) as upstream:
                wait_until(lambda: self.deliveries(server, message_id)[0]["Status"] == "delivered",
                           what="delivery")
                time.sleep(2.5)  # longer than the retry delay: no second copy
                self.assertEqual(len(upstream.stored()), 1)
                [delivery] = self.deliveries(server, message_id)
                self.assertEqual(delivery["To"], ["r@example.org", "q@example.org"])
                self.assertGreaterEqual(len(delivery["Attempts"]), 2)

    def test_restart_resumes_pending_deliveries(self):
        port = free_port()
        folder = tempfile.mkdtemp(prefix="smtpeek-relay-db-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        db = os.path.join(folder, "relay.sqlite")
        args = relay_args(port, "--relay-all", "--relay-retries", "30", user=False)
        first = Smtpeek(args)
        first.memory, first.db = False, db
        with first:
            message_id = first.send("s@example.org", ["r@example.org"], MESSAGE)
            wait_until(lambda: [d for d in self.deliveries(first, message_id) if d["Attempts"]],
                       what="a failed attempt")
            self.assert_clean_exit(first)
        with FakeUpstream() as fake:
            # The port the restarted server relays to, now answering.
            fake.sock.close()
            fake.sock = socket.socket()
            fake.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            fake.sock.bind(("127.0.0.1", port))
            fake.sock.listen(8)
            import threading
            threading.Thread(target=fake._accept, daemon=True).start()
            second = Smtpeek(args)
            second.memory, second.db = False, db
            with second:
                wait_until(lambda: self.deliveries(second, message_id)[0]["Status"] == "delivered",
                           what="the resumed delivery")
                self.assertEqual(fake.count(), 1)
                self.assertEqual(fake.messages[0][2], WITHOUT_BCC)

    def test_forward_sends_a_copy_to_fixed_addresses(self):
        with FakeUpstream() as fake:
            args = relay_args(fake.port, "--forward", "copy@example.org,audit@example.org",
                              user=False)
            with Smtpeek(args) as server:
                message_id = server.send("s@example.org", ["r@example.org"], MESSAGE)
                wait_until(lambda: fake.count() == 1, what="the forwarded copy")
                self.assertEqual(fake.messages[0][1], ["copy@example.org", "audit@example.org"])
                wait_until(lambda: self.deliveries(server, message_id)[0]["Status"] ==
                           "delivered", what="the delivery record")
                self.assertEqual(self.deliveries(server, message_id)[0]["Kind"], "forward")

    def test_relay_matching_picks_recipients(self):
        with FakeUpstream() as fake:
            args = relay_args(fake.port, "--relay-matching", "@keep\\.test$", user=False)
            with Smtpeek(args) as server:
                server.send("s@example.org", ["a@drop.test", "b@keep.test"], MESSAGE)
                server.send("s@example.org", ["c@drop.test"], MESSAGE)
                wait_until(lambda: fake.count() == 1, what="the matching copy")
                time.sleep(0.5)
                self.assertEqual(fake.count(), 1)
                self.assertEqual(fake.messages[0][1], ["b@keep.test"])


class Flood(RelayTestCase):
    COUNT = 2000

    def test_flood_with_a_slow_upstream_is_captured_and_delivered(self):
        import smtplib
        import threading
        with FakeUpstream(delay=0.002) as fake:
            with Smtpeek(relay_args(fake.port, "--relay-all", user=False)) as server:
                def send(first, count):
                    with smtplib.SMTP(server.smtp_host, server.smtp_port,
                                      timeout=IO_TIMEOUT) as client:
                        for i in range(first, first + count):
                            client.sendmail("s@example.org", ["r%d@example.org" % i], MESSAGE)
                senders = [threading.Thread(target=send, args=(i * 500, 500)) for i in range(4)]
                for t in senders:
                    t.start()
                for t in senders:
                    t.join()
                # Every message was acknowledged, so every one is stored, whatever the upstream.
                self.assertEqual(server.get_json("/api/v1/messages?limit=1")["total"], self.COUNT)
                wait_until(lambda: fake.count() >= self.COUNT, timeout=300,
                           what="every delivery")
                time.sleep(0.5)
                self.assertEqual(fake.count(), self.COUNT)
                self.assertEqual(len({m[1][0] for m in fake.messages}), self.COUNT)
                # Connections are reused: a connection carries the next due message.
                self.assertLess(fake.connections, self.COUNT // 4)
                self.assertEqual(server.get_json("/api/v1/messages?limit=1")["total"], self.COUNT)


if __name__ == "__main__":
    unittest.main(verbosity=2)
