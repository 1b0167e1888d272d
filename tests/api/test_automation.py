#!/usr/bin/env python3
"""Automation for test suites (issue 17) against the real binary: GET /api/v1/wait and
`smtpeek wait`, POST /api/v1/send, and `smtpeek sendmail` (also behind PHP's mail()). Nothing is
judged on speed: a waiter must be answered by the event, long before its timeout; the latencies
are printed for the record.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_fixture import IO_TIMEOUT, Server, Smtpeek, binary_path, server_env  # noqa: E402

# Long enough that an answer before it can only come from the store's event.
LONG_WAIT = 60


def message(subject, to="someone@example.org", extra=b""):
    return (b"From: Sender <sender@example.org>\r\nTo: " + to.encode() + b"\r\nSubject: " +
            subject.encode() + b"\r\n" + extra + b"\r\nBody of " + subject.encode() + b"\r\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def run_tool(args, stdin=b"", timeout=IO_TIMEOUT):
    return subprocess.run([binary_path()] + list(args), env=server_env(), input=stdin,
                          capture_output=True, timeout=timeout)


class Wait(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Smtpeek().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def wait_in_thread(self, path):
        result = {}

        def run():
            started = time.monotonic()
            result["response"] = self.server.request("GET", path)
            result["returned"] = time.monotonic()
            result["started"] = started
        thread = threading.Thread(target=run)
        thread.start()
        return thread, result

    def test_answers_when_the_nth_match_is_stored(self):
        thread, result = self.wait_in_thread(
            "/api/v1/wait?query=subject:nth-match&count=3&timeout=%d" % LONG_WAIT)
        time.sleep(0.2)  # the waiter is in place (it would answer at once otherwise too)
        self.server.send("s@example.org", ["a@example.org"], message("nth-match 1"))
        self.server.send("s@example.org", ["a@example.org"], message("other"))
        self.server.send("s@example.org", ["a@example.org"], message("nth-match 2"))
        self.assertTrue(thread.is_alive(), "answered before the third match")
        self.server.send("s@example.org", ["a@example.org"], message("nth-match 3"))
        stored = time.monotonic()
        thread.join(IO_TIMEOUT)
        response = result["response"]
        self.assertEqual(response.status, 200, response.body)
        body = response.json()
        self.assertEqual([m["Subject"] for m in body["messages"]],
                         ["nth-match 3", "nth-match 2", "nth-match 1"])
        self.assertEqual(body["messages_count"], 3)
        self.assertLess(result["returned"] - result["started"], LONG_WAIT / 2)
        print("wait: answered %.1f ms after the 250 of the 3rd match" %
              ((result["returned"] - stored) * 1000), file=sys.stderr)

    def test_timeout_answers_408_with_the_count_so_far(self):
        self.server.send("s@example.org", ["a@example.org"], message("only-one"))
        response = self.server.get("/api/v1/wait?query=subject:only-one&count=2&timeout=0.3")
        self.assertEqual(response.status, 408)
        self.assertEqual(response.json()["messages_count"], 1)

    def test_since_waits_for_new_mail(self):
        old = self.server.send("s@example.org", ["a@example.org"], message("since-test"))
        response = self.server.get("/api/v1/wait?query=since-test&since=%s&timeout=0.2" % old)
        self.assertEqual(response.status, 408)
        thread, result = self.wait_in_thread(
            "/api/v1/wait?query=since-test&since=%s&timeout=%d" % (old, LONG_WAIT))
        new = self.server.send("s@example.org", ["a@example.org"], message("since-test"))
        thread.join(IO_TIMEOUT)
        self.assertEqual(result["response"].status, 200)
        self.assertEqual([m["ID"] for m in result["response"].json()["messages"]], [new])

    def test_bad_parameters_get_400_naming_them(self):
        for query, word in [("timeout=-1", "timeout"), ("timeout=1000000000", "timeout"),
                            ("timeout=nan", "timeout"), ("count=0", "count"),
                            ("count=x", "count"), ("since=-3", "since"),
                            ("query=subject:%22open", "query"), ("query=from:", "query")]:
            with self.subTest(query=query):
                response = self.server.get("/api/v1/wait?" + query)
                self.assertEqual(response.status, 400)
                self.assertIn(word, response.text)

    def test_200_concurrent_waiters_during_a_flood(self):
        waiters = [self.wait_in_thread(
            "/api/v1/wait?query=subject:flood-%d&count=%d&timeout=%d" %
            (i % 4, 5, LONG_WAIT)) for i in range(200)]
        for i in range(40):
            self.server.send("s@example.org", ["a@example.org"], message("flood-%d" % (i % 8)))
        for thread, result in waiters:
            thread.join(IO_TIMEOUT)
            self.assertEqual(result["response"].status, 200)
            subjects = {m["Subject"] for m in result["response"].json()["messages"]}
            self.assertEqual(len(result["response"].json()["messages"]), 5)
            self.assertEqual(len(subjects), 1)

    def test_the_cli(self):
        api = ["--api", self.server.base]
        self.server.send("s@example.org", ["a@example.org"], message("cli-wait"))
        ok = run_tool(["wait"] + api + ["--query", "subject:cli-wait", "--timeout", "5"])
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn(b"\tSender <sender@example.org>\tcli-wait", ok.stdout)
        as_json = run_tool(["wait"] + api + ["--query", "cli-wait", "--json"])
        self.assertEqual(json.loads(as_json.stdout)["messages"][0]["Subject"], "cli-wait")
        late = run_tool(["wait"] + api + ["--query", "cli-wait", "--count", "2",
                                          "--timeout", "0.2"])
        self.assertEqual(late.returncode, 1)
        self.assertIn(b"timed out with 1 of 2", late.stderr)
        for bad in (["--timeout", "-1"], ["--count", "0"], ["--query", "\"x"], ["extra"],
                    ["--nope"]):
            with self.subTest(bad=bad):
                result = run_tool(["wait"] + api + bad)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertTrue(result.stderr.startswith(b"smtpeek wait: "), result.stderr)
        down = run_tool(["wait", "--api", "http://127.0.0.1:%d" % free_port(), "--timeout", "1"])
        self.assertEqual(down.returncode, 3, down.stderr)


class Send(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Smtpeek().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def send(self, body):
        return self.server.request("POST", "/api/v1/send", body=body)

    def test_every_field(self):
        blob = bytes(range(256)) * 40
        picture = b"\x89PNG\r\n\x1a\n" + os.urandom(300)
        response = self.send({
            "From": {"Email": "from@example.org", "Name": "Frédéric Sender"},
            "To": [{"Email": "to1@example.org", "Name": "To One"}, {"Email": "to2@example.org"}],
            "Cc": [{"Email": "cc@example.org", "Name": "Cee"}],
            "Bcc": ["bcc@example.org"],
            "ReplyTo": [{"Email": "reply@example.org", "Name": "Reply"}],
            "Subject": "Grüße from the API",
            "Text": "Plain text ✓\nsecond line",
            "HTML": "<p>HTML <img src=\"cid:logo\"></p>",
            "Attachments": [
                {"Filename": "blob.bin", "Content": base64.b64encode(blob).decode()},
                {"Filename": "logo.png", "ContentType": "image/png", "ContentID": "logo",
                 "Content": base64.b64encode(picture).decode()}],
            "Headers": {"X-Campaign": "spring", "X-Mailer": "test suite"},
            "Tags": ["alpha", "beta"],
        })
        self.assertEqual(response.status, 200, response.body)
        message_id = response.json()["ID"]
        got = self.server.get_json("/api/v1/message/%s" % message_id)
        self.assertEqual(got["From"], {"Name": "Frédéric Sender", "Address": "from@example.org"})
        self.assertEqual([a["Address"] for a in got["To"]], ["to1@example.org", "to2@example.org"])
        self.assertEqual(got["To"][0]["Name"], "To One")
        self.assertEqual(got["Cc"], [{"Name": "Cee", "Address": "cc@example.org"}])
        self.assertEqual([a["Address"] for a in got["Bcc"]], ["bcc@example.org"])
        self.assertEqual(got["ReplyTo"], [{"Name": "Reply", "Address": "reply@example.org"}])
        self.assertEqual(got["Subject"], "Grüße from the API")
        self.assertEqual(got["Text"].replace("\r\n", "\n").strip(), "Plain text ✓\nsecond line")
        self.assertIn("cid:logo", got["HTML"])
        headers = self.server.get_json("/api/v1/message/%s/headers" % message_id)
        self.assertEqual(headers["X-Campaign"], ["spring"])
        self.assertEqual(headers["X-Mailer"], ["test suite"])
        self.assertEqual(headers["X-Tags"], ["alpha, beta"])
        self.assertNotIn("Bcc", headers)
        parts = {a["FileName"]: a for a in got["Attachments"] + got["Inline"]}
        for name, content in (("blob.bin", blob), ("logo.png", picture)):
            part = self.server.get("/api/v1/message/%s/part/%s" % (message_id,
                                                                  parts[name]["PartID"]))
            self.assertEqual(part.body, content, name)
        self.assertEqual(parts["logo.png"]["ContentID"], "logo")
        envelope = got["Envelope"]
        self.assertEqual(envelope["From"], "from@example.org")
        self.assertEqual(envelope["To"], ["to1@example.org", "to2@example.org",
                                          "cc@example.org", "bcc@example.org"])
        session = self.server.get_json("/api/v1/session/%s" % got["SessionID"])
        self.assertEqual(session["Helo"], "api")
        transcript = self.server.get_json("/api/v1/session/%s/transcript" % got["SessionID"])
        self.assertIn("[API: POST /api/v1/send]", [e["Text"] for e in transcript])

    def test_a_5_mb_attachment_goes_through_byte_exact(self):
        blob = os.urandom(5 * 1024 * 1024)
        response = self.send({"From": {"Email": "a@example.org"}, "To": [{"Email": "b@example.org"}],
                              "Subject": "big", "Attachments": [
                                  {"Filename": "big.bin", "Content": base64.b64encode(blob).decode()}]})
        self.assertEqual(response.status, 200, response.text[:200])
        message_id = response.json()["ID"]
        [part] = self.server.get_json("/api/v1/message/%s" % message_id)["Attachments"]
        got = self.server.get("/api/v1/message/%s/part/%s" % (message_id, part["PartID"]))
        self.assertEqual(got.body, blob)

    def test_bad_input_names_the_field(self):
        good = {"From": {"Email": "a@example.org"}, "To": [{"Email": "b@example.org"}]}
        cases = [
            ({}, "From: missing"),
            ({"From": "a@example.org", "To": good["To"]}, "From:"),
            ({"From": {"Email": "not an address"}, "To": good["To"]}, "From.Email"),
            ({"From": good["From"]}, "To: no recipients"),
            (dict(good, To=[{"Email": "b@example.org"}, {"Email": "x"}]), "To[1].Email"),
            (dict(good, Cc="c@example.org"), "Cc: expected an array"),
            (dict(good, Subject=3), "Subject"),
            (dict(good, Attachments=[{"Filename": "a", "Content": "!!notbase64"}]),
             "Attachments[0].Content: invalid base64"),
            (dict(good, Attachments=[{"Content": "AAAA"}]), "Attachments[0].Filename"),
            (dict(good, Headers={"Bad Name": "x"}), "Headers.Bad Name"),
            (dict(good, Headers={"X-Inject": "a\r\nBcc: x@example.org"}), "Headers.X-Inject"),
            (dict(good, Tags="one"), "Tags"),
        ]
        for body, expected in cases:
            with self.subTest(expected=expected):
                response = self.send(body)
                self.assertEqual(response.status, 400, response.body)
                self.assertIn(expected, response.text)
        self.assertEqual(self.server.request("POST", "/api/v1/send", raw_body=b"{nope").status,
                         400)

    def test_a_50_mb_body_is_refused_without_reading_it_all(self):
        head = (b"POST /api/v1/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 52428800\r\n\r\n")
        with socket.create_connection(("127.0.0.1", self.server.api_port), timeout=10) as s:
            try:  # the server answers and closes once the request passes its limit (32 MiB)
                for _ in range(800):
                    s.sendall(b" " * 65536 if _ else head + b"{")
            except (BrokenPipeError, ConnectionResetError):
                pass
            answer = s.recv(4096)
        self.assertRegex(answer, rb"^HTTP/1\.1 413 ")
        self.assertEqual(self.server.get("/livez").status, 200)


class Receiver:
    """A local webhook receiver: records each POST (time, ID) and answers 503 to the first
    `failures` of them, then 200."""

    def __init__(self, failures=0):
        self.posts = []
        self.failures = failures
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    failing = receiver.failures > 0
                    receiver.failures -= 1
                    receiver.posts.append((time.monotonic(), json.loads(body)["ID"],
                                           not failing, self.headers["Content-Type"]))
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.http.server_address[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def delivered(self):
        with self.lock:
            return [post[1] for post in self.posts if post[2]]

    def stop(self):
        self.http.shutdown()
        self.http.server_close()


class Webhook(unittest.TestCase):
    LIMIT = 20
    COUNT = 30

    def test_one_post_per_message_within_the_limit_through_failures(self):
        receiver = Receiver(failures=3)
        server = Smtpeek(["--webhook-url", receiver.url, "--webhook-limit", str(self.LIMIT)])
        server.start()
        try:
            ids = [server.send("s@example.org", ["a@example.org"], message("hook %d" % i))
                   for i in range(self.COUNT)]
            deadline = time.monotonic() + IO_TIMEOUT
            while len(receiver.delivered()) < self.COUNT and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(sorted(receiver.delivered(), key=int), ids)  # once each, in order
            starts = [post[0] for post in receiver.posts]
            # Arrival times carry the network's jitter: a window a little under a second still
            # holds no more than the limit when the sender spaced its starts right.
            busiest = max(sum(1 for t in starts if s <= t < s + 0.95) for s in starts)
            self.assertLessEqual(busiest, self.LIMIT)
            print("webhook: %d POSTs (3 refused) in %.2f s at --webhook-limit %d" %
                  (len(starts), starts[-1] - starts[0], self.LIMIT), file=sys.stderr)
            self.assertEqual({post[3] for post in receiver.posts}, {"application/json"})
            self.assertTrue(server.wait_line(r"^webhook: message %s: HTTP 503, retrying" % ids[0],
                                             IO_TIMEOUT))
        finally:
            server.stop()
            receiver.stop()
        self.assertIsNone(server.sanitizer_report())

    def test_a_receiver_that_is_down_is_reported_and_capture_goes_on(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            url = "http://127.0.0.1:%d/" % s.getsockname()[1]  # nothing listens there
        server = Smtpeek(["--webhook-url", url]).start()
        try:
            first = server.send("s@example.org", ["a@example.org"], message("unheard"))
            self.assertTrue(server.wait_line(r"^webhook: message %s: .*retrying" % first,
                                             IO_TIMEOUT))
            server.send("s@example.org", ["a@example.org"], message("still captured"))
            self.assertEqual(server.get_json("/api/v1/messages")["total"], 2)
        finally:
            server.stop()

    def test_a_url_that_is_not_http_is_refused(self):
        for url in ("ftp://example.org/", "not a url", "http://"):
            with self.subTest(url=url):
                result = run_tool(["--headless", "--memory", "--webhook-url", url])
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(b"webhook-url", result.stderr)


class Sendmail(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Smtpeek().start()
        cls.addr = "%s:%d" % (cls.server.smtp_host, cls.server.smtp_port)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def sendmail(self, args, stdin):
        return run_tool(["sendmail", "--smtp-addr", self.addr] + list(args), stdin)

    def latest(self, query):
        found = self.server.get_json("/api/v1/wait?query=%s&timeout=10" % query)
        self.assertEqual(found["messages_count"], 1, found)
        message_id = found["messages"][0]["ID"]
        return (self.server.get_json("/api/v1/message/%s" % message_id),
                self.server.get("/api/v1/message/%s/raw" % message_id).body)

    def test_t_reads_recipients_and_strips_bcc(self):
        result = self.sendmail(["-t", "-i", "-f", "bounce@example.org"],
                               b"To: A <a@example.org>\nCc: c@example.org\n"
                               b"Bcc: secret@example.org,\n other@example.org\n"
                               b"Subject: dash-t\n\nline\n.\n..two dots\nend\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        got, raw = self.latest("subject:dash-t")
        self.assertEqual(got["Envelope"]["From"], "bounce@example.org")
        self.assertEqual(sorted(got["Envelope"]["To"]), ["a@example.org", "c@example.org",
                                                         "other@example.org",
                                                         "secret@example.org"])
        self.assertNotIn(b"Bcc", raw)
        # bare LF became CRLF; with -i the lone dot is content, and the dots arrive unchanged
        self.assertTrue(raw.endswith(b"\r\n\r\nline\r\n.\r\n..two dots\r\nend\r\n"), raw)
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))

    def test_a_dot_line_ends_the_input_without_i(self):
        result = self.sendmail(["r@example.org"],
                               b"Subject: dot-end\nFrom: f@example.org\n\nkept\n.\nignored\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        got, raw = self.latest("subject:dot-end")
        self.assertTrue(raw.endswith(b"\r\n\r\nkept\r\n"), raw)
        self.assertEqual(got["Envelope"], {"From": "f@example.org", "To": ["r@example.org"]})

    def test_f_and_F_for_a_message_without_from(self):
        result = self.sendmail(["-f", "app@example.org", "-F", "The App", "r@example.org"],
                               b"Subject: named\n\nhi\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        got, _ = self.latest("subject:named")
        self.assertEqual(got["From"], {"Name": "The App", "Address": "app@example.org"})

    def test_bad_input_and_a_server_that_is_down(self):
        cases = [
            (["r@example.org"], b"Subject: no blank line\nbody without one\n", 65, b"blank line"),
            ([], b"Subject: x\n\nbody\n", 64, b"no recipients"),
            (["-t"], b"Subject: x\n\nbody\n", 64, b"no recipients"),
            (["-bs"], b"", 64, b"-bs is not supported"),
            (["-f"], b"", 64, b"-f needs a value"),
            (["not-an-address"], b"Subject: x\n\nbody\n", 65, b"not an email address"),
        ]
        for args, stdin, code, text in cases:
            with self.subTest(args=args):
                result = self.sendmail(args, stdin)
                self.assertEqual(result.returncode, code, result.stderr)
                self.assertIn(text, result.stderr)
        down = run_tool(["sendmail", "--smtp-addr", "127.0.0.1:%d" % free_port(),
                         "r@example.org"], b"Subject: x\n\nbody\n")
        self.assertEqual(down.returncode, 75, down.stderr)
        self.assertTrue(down.stderr.startswith(b"smtpeek sendmail: 127.0.0.1:"), down.stderr)

    @unittest.skipUnless(shutil.which("php"), "php-cli is not installed (scripts/deps.sh)")
    def test_php_mail_through_sendmail_path(self):
        path = "%s sendmail --smtp-addr %s -t -i" % (binary_path(), self.addr)
        script = ('var_export(mail("php@example.org", "from php", "Hello\\n.\\nfrom PHP", '
                  '"From: PHP <app@example.org>"));')
        result = subprocess.run(["php", "-n", "-d", "sendmail_path=" + path, "-r", script],
                                env=server_env(), capture_output=True, timeout=IO_TIMEOUT)
        self.assertEqual(result.stdout, b"true", result.stderr)
        got, raw = self.latest("subject:%22from%20php%22")
        self.assertEqual(got["Envelope"]["To"], ["php@example.org"])
        self.assertEqual(got["From"]["Address"], "app@example.org")
        self.assertTrue(raw.endswith(b"Hello\r\n.\r\nfrom PHP\r\n"), raw)


class Mcp(unittest.TestCase):
    """A client speaking JSON-RPC over `smtpeek mcp`'s pipes, one message per line."""

    @classmethod
    def setUpClass(cls):
        cls.server = Smtpeek().start()
        cls.first = cls.server.send("s@example.org", ["a@example.org"], message("mcp one"))
        cls.second = cls.server.send("s@example.org", ["a@example.org"], message("mcp two"))
        cls.proc = subprocess.Popen([binary_path(), "mcp", "--api", cls.server.base],
                                    env=server_env(), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        cls.next_id = 0

    @classmethod
    def tearDownClass(cls):
        cls.proc.stdin.close()
        cls.proc.wait(IO_TIMEOUT)
        stderr = cls.proc.stderr.read()
        cls.proc.stdout.close()
        cls.proc.stderr.close()
        cls.server.stop()
        assert cls.proc.returncode == 0, stderr
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def rpc(self, method, params=None, raw=None):
        Mcp.next_id += 1
        request = {"jsonrpc": "2.0", "id": Mcp.next_id, "method": method}
        if params is not None:
            request["params"] = params
        self.proc.stdin.write(raw if raw is not None else json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        self.assertEqual(answer["jsonrpc"], "2.0")
        return answer

    def call(self, name, arguments):
        answer = self.rpc("tools/call", {"name": name, "arguments": arguments})
        self.assertIn("result", answer, answer)
        return answer["result"]

    def test_1_initialize_and_list_tools(self):
        init = self.rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                       "clientInfo": {"name": "test", "version": "1"}})
        self.assertEqual(init["result"]["protocolVersion"], "2025-06-18")
        self.assertIn("tools", init["result"]["capabilities"])
        self.assertEqual(init["result"]["serverInfo"]["name"], "smtpeek")
        self.proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        tools = self.rpc("tools/list")["result"]["tools"]
        self.assertEqual({t["name"] for t in tools},
                         {"list_messages", "search_messages", "read_message",
                          "wait_for_messages", "tag_messages", "delete_messages",
                          "read_session_transcript"})
        for t in tools:
            self.assertEqual(t["inputSchema"]["type"], "object", t["name"])
            self.assertIsInstance(t["inputSchema"]["properties"], dict)
            self.assertTrue(t["description"])
        self.assertEqual(self.rpc("ping")["result"], {})

    def test_2_list_search_read(self):
        listed = self.call("list_messages", {"limit": 10})
        self.assertFalse(listed["isError"])
        self.assertEqual([m["Subject"] for m in listed["structuredContent"]["messages"]][:2],
                         ["mcp two", "mcp one"])
        found = self.call("search_messages", {"query": "subject:\"mcp one\""})
        self.assertEqual([m["ID"] for m in found["structuredContent"]["messages"]], [self.first])
        decoded = self.call("read_message", {"id": self.first})
        self.assertEqual(decoded["structuredContent"]["Subject"], "mcp one")
        raw = self.call("read_message", {"id": self.first, "format": "raw"})
        self.assertEqual(raw["content"][0]["text"].encode(), message("mcp one"))
        missing = self.call("read_message", {"id": "999999"})
        self.assertTrue(missing["isError"])

    def test_3_wait_and_transcript(self):
        waited = self.call("wait_for_messages", {"query": "mcp", "count": 2, "timeout": 5})
        self.assertFalse(waited["isError"])
        self.assertEqual(waited["structuredContent"]["messages_count"], 2)
        late = self.call("wait_for_messages", {"query": "mcp", "count": 3, "timeout": 0.2})
        self.assertEqual(late["structuredContent"]["messages_count"], 2)  # the 408's count
        session_id = self.call("read_message", {"id": self.first})["structuredContent"][
            "SessionID"]
        session = self.call("read_session_transcript", {"session_id": session_id})
        lines = [e["Text"] for e in session["structuredContent"]["Transcript"]]
        self.assertTrue(any(line.lower().startswith("ehlo api-test.example") for line in lines), lines)

    def test_4_tag(self):
        result = self.call("tag_messages", {"ids": [self.first], "tags": ["from-mcp"]})
        self.assertFalse(result["isError"], result)
        tags = self.server.get_json("/api/v1/message/%s" % self.first)["Tags"]
        self.assertEqual(tags, ["from-mcp"])

    def test_5_delete(self):
        result = self.call("delete_messages", {"ids": [self.second]})
        self.assertFalse(result["isError"], result)
        self.assertEqual(self.server.get("/api/v1/message/%s" % self.second).status, 404)

    def test_6_bad_requests(self):
        self.assertEqual(self.rpc("", raw=b"{not json\n")["error"]["code"], -32700)
        self.assertEqual(self.rpc("nope")["error"]["code"], -32601)
        self.assertEqual(self.rpc("tools/call", {"name": "nope"})["error"]["code"], -32602)
        self.assertTrue(self.call("read_message", {"id": "../x"})["isError"])
        self.assertTrue(self.call("search_messages", {})["isError"])
        self.assertTrue(self.call("delete_messages", {"ids": []})["isError"])


class OnDisk(Smtpeek):
    """The API fixture's server with a database file instead of --memory."""

    def __init__(self, db):
        Server.__init__(self, args=["--api", "127.0.0.1:0"], db=db)


class Dump(unittest.TestCase):
    MIME = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data",
                        "mime")

    def test_eml_and_mbox_are_byte_exact(self):
        folder = tempfile.mkdtemp()
        try:
            db = os.path.join(folder, "dump.sqlite")
            originals = [read_bytes(os.path.join(self.MIME, name))
                         for name in sorted(os.listdir(self.MIME)) if name.endswith(".eml")]
            originals.append(message("from lines", extra=b"X-Note: quoted\r\n") +
                             b"From the start\r\n>From once\r\n>>From twice\r\n")
            # smtplib ends the data with CRLF: that is what smtpeek receives and stores
            originals = [raw if raw.endswith(b"\r\n") else raw + b"\r\n" for raw in originals]
            server = OnDisk(db).start()
            for raw in originals:
                server.send("s@example.org", ["a@example.org"], raw)
            server.stop()
            out_dir = os.path.join(folder, "eml")
            result = run_tool(["dump", "--db", db, "--dir", out_dir])
            self.assertEqual(result.returncode, 0, result.stderr)
            written = [read_bytes(os.path.join(out_dir, name))
                       for name in sorted(os.listdir(out_dir))]
            self.assertEqual(sorted(written), sorted(originals))
            for name in os.listdir(out_dir):
                self.assertRegex(name, r"^[^/\\:*?\"<>|]+\.eml$")
            mbox = os.path.join(folder, "all.mbox")
            result = run_tool(["dump", "--db", db, "--mbox", mbox, "--query", "subject:from"])
            self.assertEqual(result.returncode, 0, result.stderr)
            data = read_bytes(mbox)
            self.assertTrue(data.startswith(b"From s@example.org "), data[:80])
            self.assertIn(b"\r\n>From the start\r\n>>From once\r\n>>>From twice\r\n", data)
            self.assertEqual(data.count(b"\nFrom "), 0)  # one entry, its From_ line first
            for bad in (["--db", db], ["--db", db, "--dir", out_dir, "--mbox", mbox],
                        ["--dir", out_dir], ["--db", db, "--mbox", mbox, "--query", "\"x"]):
                with self.subTest(bad=bad):
                    self.assertEqual(run_tool(["dump"] + bad).returncode, 2)
            missing = run_tool(["dump", "--db", os.path.join(folder, "none.sqlite"),
                                "--mbox", os.path.join(folder, "never.mbox")])
            self.assertEqual(missing.returncode, 1)
            self.assertFalse(os.path.exists(os.path.join(folder, "never.mbox")))
            unwritable = run_tool(["dump", "--db", db, "--mbox", os.path.join(folder, "no", "x")])
            self.assertEqual(unwritable.returncode, 1, unwritable.stderr)
        finally:
            shutil.rmtree(folder)



class Ingest(unittest.TestCase):
    """ingest: the project's MIME test messages round trip through mbox (dump, then ingest into
    another database) and through a Maildir (ingest over SMTP), byte-exact; bad inputs are
    skipped with their reason."""

    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.folder)
        self.originals = [read_bytes(os.path.join(Dump.MIME, name))
                          for name in sorted(os.listdir(Dump.MIME)) if name.endswith(".eml")]
        self.originals.append(message("from lines") + b"From the start\r\n>From once\r\n")
        self.originals = [raw if raw.endswith(b"\r\n") else raw + b"\r\n"
                          for raw in self.originals]

    def dumped(self, db):
        out = os.path.join(self.folder, "out-" + os.path.basename(db))
        result = run_tool(["dump", "--db", db, "--dir", out])
        self.assertEqual(result.returncode, 0, result.stderr)
        return sorted(read_bytes(os.path.join(out, name)) for name in os.listdir(out))

    def test_mbox_round_trip_into_a_database(self):
        first = os.path.join(self.folder, "first.sqlite")
        server = OnDisk(first).start()
        for raw in self.originals:
            server.send("s@example.org", ["a@example.org"], raw)
        server.stop()
        mbox = os.path.join(self.folder, "all.mbox")
        self.assertEqual(run_tool(["dump", "--db", first, "--mbox", mbox]).returncode, 0)
        second = os.path.join(self.folder, "second.sqlite")
        result = run_tool(["ingest", "--db", second, mbox])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"%d ingested, 0 skipped" % len(self.originals), result.stderr)
        self.assertEqual(self.dumped(second), sorted(self.originals))

    def test_maildir_over_smtp_and_bad_inputs(self):
        maildir = os.path.join(self.folder, "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, sub))
        for i, raw in enumerate(self.originals):
            sub = "new" if i % 2 else "cur"
            with open(os.path.join(maildir, sub, "%d.host:2,S" % i), "wb") as f:
                f.write(raw)
        with open(os.path.join(maildir, "new", "truncated"), "wb") as f:
            f.write(b"From: a@example.org\r\nTo: b@example.org\r\nSubj")
        with open(os.path.join(maildir, "tmp", "unfinished"), "wb") as f:
            f.write(message("never"))
        body_from = os.path.join(self.folder, "body.mbox")
        with open(body_from, "wb") as f:  # a From line inside a body is body text
            f.write(b"From x@example.org Thu Dec  3 10:00:00 2026\n" + message("one") +
                    b"From inside the body\r\n\n")
        with Smtpeek() as server:
            result = run_tool(["ingest", "--smtp-addr", "%s:%d" % (server.smtp_host,
                                                                   server.smtp_port),
                               maildir, body_from, os.path.join(self.folder, "missing")])
            self.assertEqual(result.returncode, 0, result.stderr)
            text = result.stderr.decode()
            self.assertIn("%d ingested, 2 skipped" % (len(self.originals) + 1), text)
            self.assertIn("truncated: no empty line after the header", text)
            self.assertIn("missing: no such file or folder", text)
            listing = server.get_json("/api/v1/messages?limit=100")["messages"]
            raws = sorted(server.get("/api/v1/message/%s/raw" % m["ID"]).body for m in listing)
            self.assertEqual(raws, sorted(self.originals + [
                message("one") + b"From inside the body\r\n"]))
            self.assertEqual(len(listing), len(self.originals) + 1)  # tmp/ is not read
        down = run_tool(["ingest", "--smtp-addr", "127.0.0.1:%d" % free_port(), maildir])
        self.assertEqual(down.returncode, 1)
        self.assertIn(b"skipped", down.stderr)
        for bad in ([], ["--db", "x", "--smtp-addr", "1:2", maildir], ["--smtp-addr", "x", maildir]):
            with self.subTest(bad=bad):
                self.assertEqual(run_tool(["ingest"] + bad).returncode, 2)

if __name__ == "__main__":
    unittest.main(verbosity=2)
