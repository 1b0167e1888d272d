"""Mailpit's check endpoints on the real binary: /html-check (JSON shape field by field as
Mailpit's swagger models name them), /link-check against HTTP servers this test runs on
loopback addresses (200, 301 -> 200, 404, 500, HEAD refused, slow; the limits of 5 requests at
once and 1 per host measured by the servers), and /sa-check against a real spamd this test
starts (GTUBE is spam, a plain message is not; no spamd -> an error at once).
Python 3 stdlib only; spamd from Debian's spamassassin."""

import http.server
import shutil
import socket
import subprocess
import threading
import time
import unittest

from api_fixture import Smtpeek

HEADER = (b"From: Alice <alice@example.com>\r\nTo: bob@example.net\r\n"
          b"Date: Tue, 03 Nov 2026 10:00:00 +0100\r\nMessage-ID: <c.%d@example.com>\r\n")
GTUBE = b"XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
counter = [0]


def html_message(html, text=None):
    counter[0] += 1
    head = HEADER % counter[0] + b"Subject: Checks\r\nMIME-Version: 1.0\r\n"
    if text is None:
        return head + b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html + b"\r\n"
    return (head + b"Content-Type: multipart/alternative; boundary=b\r\n\r\n"
            b"--b\r\nContent-Type: text/plain\r\n\r\n" + text + b"\r\n"
            b"--b\r\nContent-Type: text/html\r\n\r\n" + html + b"\r\n--b--\r\n")


def text_message(body):
    counter[0] += 1
    return HEADER % counter[0] + b"Subject: Lunch\r\n\r\n" + body + b"\r\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Traffic:
    """What the link servers saw: requests by method and path, and the most in flight."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = 0
        self.per_host = {}
        self.peak = 0
        self.peak_per_host = 0
        self.seen = []

    def enter(self, host, method, path):
        with self.lock:
            self.seen.append((method, path))
            self.active += 1
            self.per_host[host] = self.per_host.get(host, 0) + 1
            self.peak = max(self.peak, self.active)
            self.peak_per_host = max(self.peak_per_host, self.per_host[host])

    def leave(self, host):
        with self.lock:
            self.active -= 1
            self.per_host[host] -= 1


def handler_for(traffic):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, code, headers=(), body=b""):
            self.send_response(code)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def handle_any(self):
            # Counted as in flight until its answer is ready and not a moment later: once the
            # client has the answer it may start the next request, which must not overlap.
            host = self.server.server_address[0]
            traffic.enter(host, self.command, self.path)
            try:
                answer = self.route()
            finally:
                traffic.leave(host)
            self.answer(*answer)

        def route(self):
            if self.path == "/ok":
                return 200, (), b"fine"
            if self.path == "/moved":
                return 301, [("Location", "/ok")]
            if self.path == "/broken":
                return (500,)
            if self.path == "/nohead":
                return (405,) if self.command == "HEAD" else (200, (), b"x" * 100000)
            if self.path == "/slow":
                time.sleep(3)
                return (200,)
            if self.path.startswith("/hold"):
                time.sleep(0.4)
                return (200,)
            return (404,)

        do_GET = handle_any
        do_HEAD = handle_any

    return Handler


class LinkServers:
    """One threaded HTTP server on each of 127.0.0.1 to 127.0.0.7: seven hosts."""

    def __init__(self):
        self.traffic = Traffic()
        self.servers = []
        for n in range(1, 8):
            server = http.server.ThreadingHTTPServer(("127.0.0.%d" % n, 0),
                                                     handler_for(self.traffic))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)

    def url(self, n, path):
        host, port = self.servers[n - 1].server_address
        return "http://%s:%d%s" % (host, port, path)

    def close(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()


class ChecksTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.spamd_port = free_port()
        cls.server = Smtpeek(["--spamassassin", "127.0.0.1:%d" % cls.spamd_port]).start()
        cls.links = LinkServers()

    @classmethod
    def tearDownClass(cls):
        cls.links.close()
        alive = cls.server.alive()
        cls.server.stop()
        assert alive, "smtpeek died: %s" % cls.server.stderr.decode(errors="replace")[-3000:]
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def send(self, data):
        return self.server.send("alice@example.com", ["bob@example.net"], data)


class HtmlCheck(ChecksTestCase):
    def test_mailpit_shape(self):
        html = (b"<!DOCTYPE html><html><head><style>a:hover{color:red}"
                b"@media (max-width:600px){td{width:100%}}</style></head>"
                b"<body><div style=\"display:flex;background-image:url(x.png)\"><p>Hi</p>"
                b"</div></body></html>")
        msg_id = self.send(html_message(html))
        check = self.server.get_json("/api/v1/message/%s/html-check" % msg_id)
        # Mailpit's HTMLCheckResponse, then smtpeek's additions.
        self.assertLessEqual({"Platforms", "Total", "Warnings"}, set(check))
        self.assertEqual(set(check["Total"]), {"Nodes", "Tests", "Supported", "Partial",
                                               "Unsupported"})
        self.assertIn("Outlook", check["Platforms"]["windows"])
        self.assertGreater(check["Total"]["Tests"], 250)
        self.assertAlmostEqual(check["Total"]["Supported"] + check["Total"]["Partial"] +
                               check["Total"]["Unsupported"], 100, places=3)
        slugs = {w["Slug"]: w for w in check["Warnings"]}
        for slug in ("css-display-flex", "html-style", "css-background-image", "css-at-media",
                     "css-pseudo-class-hover"):
            self.assertIn(slug, slugs)
        for warning in check["Warnings"]:
            self.assertLessEqual({"Slug", "Title", "Description", "URL", "Category", "Tags",
                                  "Keywords", "Results", "NotesByNumber", "Score"},
                                 set(warning))
            self.assertEqual(set(warning["Score"]), {"Found", "Supported", "Partial",
                                                     "Unsupported"})
            for result in warning["Results"]:
                self.assertEqual(set(result), {"Name", "Platform", "Family", "Version",
                                               "Support", "NoteNumber"})
                self.assertIn(result["Support"], ("yes", "no", "partial", "unknown"))
        # smtpeek's addition: where in the HTML.
        flex = slugs["css-display-flex"]
        self.assertEqual(flex["Locations"][0]["Offset"], html.index(b"display:flex"))
        self.assertFalse(check["GmailClipped"])
        self.assertTrue(any(c["Family"] == "outlook" for c in check["Clients"]))

    def test_gmail_clipping_and_errors(self):
        big = b"<p>" + b"x" * (103 * 1024) + b"</p>"
        msg_id = self.send(html_message(big))
        check = self.server.get_json("/api/v1/message/%s/html-check" % msg_id)
        self.assertTrue(check["GmailClipped"])
        plain = self.send(text_message(b"no HTML"))
        self.assertEqual(self.server.get("/api/v1/message/%s/html-check" % plain).status, 400)
        self.assertEqual(self.server.get("/api/v1/message/999999/html-check").status, 404)


class LinkCheck(ChecksTestCase):
    def check(self, html, query="?follow=true", text=None):
        msg_id = self.send(html_message(html, text))
        return self.server.get_json("/api/v1/message/%s/link-check%s" % (msg_id, query))

    def test_statuses(self):
        url = self.links.url
        html = ("<a href='%s'>a</a><a href='%s'>b</a><a href='%s'>c</a><a href='%s'>d</a>"
                "<a href='%s'>e</a><img src='%s'><a href='mailto:x@example.com'>m</a>" % (
                    url(1, "/ok"), url(2, "/moved"), url(3, "/missing"), url(4, "/broken"),
                    url(5, "/nohead"), url(6, "/slow"))).encode()
        start = time.monotonic()
        check = self.check(html, "?follow=true&timeout=1", text=url(7, "/ok").encode())
        self.assertLess(time.monotonic() - start, 20)
        self.assertLessEqual({"Errors", "Links"}, set(check))
        links = {link["URL"]: link for link in check["Links"]}
        self.assertEqual(len(links), 7)  # mailto: is not checked
        for link in check["Links"]:
            self.assertLessEqual({"URL", "StatusCode", "Status"}, set(link))
        self.assertEqual((links[url(1, "/ok")]["StatusCode"], links[url(1, "/ok")]["Status"]),
                         (200, "OK"))
        moved = links[url(2, "/moved")]
        self.assertEqual(moved["StatusCode"], 200)
        self.assertEqual(moved["Redirects"], [{"URL": url(2, "/moved"), "StatusCode": 301}])
        self.assertEqual(links[url(3, "/missing")]["StatusCode"], 404)
        self.assertEqual(links[url(4, "/broken")]["StatusCode"], 500)
        nohead = links[url(5, "/nohead")]
        self.assertEqual((nohead["StatusCode"], nohead["Method"]), (200, "GET"))
        self.assertIn(("GET", "/nohead"), self.links.traffic.seen)
        slow = links[url(6, "/slow")]
        self.assertEqual(slow["StatusCode"], 0)
        self.assertIn("no answer within 1 s", slow["Status"])
        self.assertEqual(links[url(7, "/ok")]["StatusCode"], 200)  # from the text part
        self.assertEqual(check["Errors"], 3)  # 404, 500 and the timeout

    def test_without_follow_redirects_are_reported(self):
        check = self.check(("<a href='%s'>x</a>" % self.links.url(1, "/moved")).encode(), "")
        self.assertEqual(check["Links"][0]["StatusCode"], 301)

    def test_limits(self):
        # Three links on each of seven hosts, each held 0.4 s by its server.
        html = "".join("<a href='%s'>x</a>" % self.links.url(host, "/hold/%d" % n)
                       for host in range(1, 8) for n in range(3)).encode()
        traffic = self.links.traffic
        traffic.peak = traffic.peak_per_host = 0
        check = self.check(html)
        self.assertEqual(len(check["Links"]), 21)
        self.assertEqual(check["Errors"], 0)
        self.assertEqual(traffic.peak, 5)
        self.assertEqual(traffic.peak_per_host, 1)

    def test_many_links_say_so(self):
        html = "".join("<a href='http://127.0.0.1:1/%d'>x</a>" % n
                       for n in range(10000)).encode()
        check = self.check(html, "?timeout=0.5")
        self.assertEqual(len(check["Links"]), 500)
        self.assertEqual(check["NotChecked"], 9500)

    def test_api_stays_responsive(self):
        msg_id = self.send(html_message(("<a href='%s'>x</a>" % self.links.url(6, "/slow"))
                                        .encode()))
        result = {}
        thread = threading.Thread(target=lambda: result.update(self.server.get_json(
            "/api/v1/message/%s/link-check" % msg_id)))
        thread.start()
        time.sleep(0.3)
        start = time.monotonic()
        self.assertEqual(self.server.get("/livez").status, 200)
        self.assertLess(time.monotonic() - start, 2)  # served while the check waits
        thread.join(30)
        self.assertEqual(result["Links"][0]["StatusCode"], 200)


class SpamCheck(ChecksTestCase):
    def test_spamd(self):
        gtube = self.send(text_message(GTUBE))
        plain = self.send(text_message(b"Hi Bob, lunch at noon tomorrow?"))
        # No spamd yet: an error at once, no hang.
        start = time.monotonic()
        absent = self.server.get_json("/api/v1/message/%s/sa-check" % gtube)
        self.assertLess(time.monotonic() - start, 10)
        self.assertEqual(set(absent), {"Error", "IsSpam", "Score", "Rules", "Threshold"})
        self.assertIn("no spamd at 127.0.0.1:%d" % self.spamd_port, absent["Error"])
        spamd = shutil.which("spamd", path="/usr/sbin:/usr/bin:/usr/local/sbin")
        if not spamd:
            self.skipTest("spamd is not installed (Debian: spamassassin)")
        process = subprocess.Popen(
            [spamd, "--listen=127.0.0.1:%d" % self.spamd_port, "--nouser-config", "--local",
             "--max-children=1", "--syslog=stderr"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", self.spamd_port), 0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            spam = self.server.get_json("/api/v1/message/%s/sa-check" % gtube)
            self.assertEqual(spam["Error"], "")
            self.assertTrue(spam["IsSpam"])
            self.assertGreaterEqual(spam["Score"], 1000)
            self.assertIn("GTUBE", [rule["Name"] for rule in spam["Rules"]])
            for rule in spam["Rules"]:
                self.assertEqual(set(rule), {"Score", "Name", "Description"})
            ham = self.server.get_json("/api/v1/message/%s/sa-check" % plain)
            self.assertEqual(ham["Error"], "")
            self.assertFalse(ham["IsSpam"])
            self.assertLess(ham["Score"], 5)
        finally:
            process.terminate()
            process.wait(10)
        self.assertEqual(self.server.get("/api/v1/message/999999/sa-check").status, 404)

    def test_not_configured(self):
        server = Smtpeek().start()
        try:
            msg_id = server.send("alice@example.com", ["bob@example.net"], text_message(b"x"))
            start = time.monotonic()
            report = server.get_json("/api/v1/message/%s/sa-check" % msg_id)
            self.assertLess(time.monotonic() - start, 10)
            self.assertIn("--spamassassin auto", report["Error"])
            self.assertFalse(report["IsSpam"])
        finally:
            alive = server.alive()
            server.stop()
        self.assertTrue(alive)
        self.assertIsNone(server.sanitizer_report())


if __name__ == "__main__":
    unittest.main(verbosity=2)
