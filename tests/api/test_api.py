"""The Mailpit-compatible API of the real smtpeek binary: every endpoint over urllib, mail sent
with smtplib, field names and semantics as Mailpit's API v1, plus smtpeek's envelope and session
extensions."""

import base64
import hashlib
import re
import socket
import subprocess
import time
import unittest

from api_fixture import Smtpeek, run_binary

PLAIN = (b"From: Alice Example <alice@example.org>\r\n"
         b"To: Bob <bob@example.net>, carol@example.net\r\n"
         b"Cc: Dave <dave@example.com>\r\n"
         b"Reply-To: replies@example.org\r\n"
         b"Subject: Weekly report\r\n"
         b"Message-ID: <report-1@example.org>\r\n"
         b"Date: Tue, 03 Nov 2026 10:00:00 +0100\r\n"
         b"X-Folded: first part\r\n"
         b"  second part\r\n"
         b"\r\n"
         b"Numbers are up.\r\n"
         b"Details follow.\r\n")

ATTACHMENT = b"%PDF-1.4 pretend\x00\x01\x02 binary bytes\r\n" * 20

MULTIPART = (b"From: reports@example.org\r\n"
             b"To: team@example.net\r\n"
             b"Subject: Invoice attached\r\n"
             b"MIME-Version: 1.0\r\n"
             b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
             b"\r\n"
             b"--b1\r\n"
             b"Content-Type: text/plain; charset=utf-8\r\n"
             b"\r\n"
             b"Please find the invoice.\r\n"
             b"--b1\r\n"
             b"Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
             b"Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
             b"Content-Transfer-Encoding: base64\r\n"
             b"\r\n" + base64.encodebytes(ATTACHMENT).replace(b"\n", b"\r\n") +
             b"--b1--\r\n")


def message(subject, sender="sender@example.org", to="rcpt@example.net", body="Hello."):
    return ("From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n%s\r\n" % (sender, to, subject, body)).encode()


class ApiTestCase(unittest.TestCase):
    def setUp(self):
        self.server = Smtpeek().start()

    def tearDown(self):
        alive = self.server.alive()
        self.server.stop()
        self.assertTrue(alive, "smtpeek died: %s" % self.server.stderr.decode(errors="replace")[-3000:])
        self.assertIsNone(self.server.sanitizer_report())


class ListAndRead(ApiTestCase):
    def test_list_is_newest_first_with_mailpit_fields(self):
        first = self.server.send("alice@example.org", ["bob@example.net"], PLAIN)
        second = self.server.send("x@example.org", ["y@example.net"], message("Second"))
        data = self.server.get_json("/api/v1/messages")
        for key in ("total", "unread", "count", "messages_count", "messages_unread", "start",
                    "tags", "messages"):
            self.assertIn(key, data)
        self.assertEqual((data["total"], data["unread"], data["count"], data["start"]), (2, 2, 2, 0))
        self.assertEqual([m["ID"] for m in data["messages"]], [second, first])
        m = data["messages"][1]
        self.assertEqual(m["From"], {"Name": "Alice Example", "Address": "alice@example.org"})
        self.assertEqual(m["To"], [{"Name": "Bob", "Address": "bob@example.net"},
                                   {"Name": "", "Address": "carol@example.net"}])
        self.assertEqual(m["Cc"], [{"Name": "Dave", "Address": "dave@example.com"}])
        self.assertEqual(m["ReplyTo"], [{"Name": "", "Address": "replies@example.org"}])
        self.assertEqual(m["Subject"], "Weekly report")
        self.assertEqual(m["MessageID"], "report-1@example.org")
        self.assertEqual(m["Size"], len(PLAIN))
        self.assertEqual(m["Read"], False)
        self.assertEqual(m["Attachments"], 0)
        self.assertEqual(m["Snippet"], "Numbers are up. Details follow.")
        self.assertEqual(m["Tags"], [])
        self.assertRegex(m["Created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(m["Envelope"], {"From": "alice@example.org", "To": ["bob@example.net"]})
        self.assertIn("SessionID", m)

    def test_pagination(self):
        ids = [self.server.send("a@example.org", ["b@example.net"], message("n%d" % i))
               for i in range(5)]
        page = self.server.get_json("/api/v1/messages?start=1&limit=2")
        self.assertEqual([m["ID"] for m in page["messages"]], [ids[3], ids[2]])
        self.assertEqual((page["start"], page["count"], page["messages_count"], page["total"]),
                         (1, 2, 5, 5))
        beyond = self.server.get_json("/api/v1/messages?start=10")
        self.assertEqual((beyond["messages"], beyond["count"]), ([], 0))
        junk = self.server.get_json("/api/v1/messages?start=x&limit=-4")
        self.assertEqual((junk["start"], junk["count"]), (0, 5))

    def test_message_marks_read_and_latest(self):
        first = self.server.send("alice@example.org", ["bob@example.net"], PLAIN)
        latest = self.server.send("a@example.org", ["b@example.net"], message("Newest"))
        m = self.server.get_json("/api/v1/message/%s" % first)
        for key in ("ID", "MessageID", "From", "To", "Cc", "Bcc", "ReplyTo", "ReturnPath",
                    "Subject", "ListUnsubscribe", "Date", "Tags", "Text", "HTML", "Size",
                    "Inline", "Attachments", "Username"):
            self.assertIn(key, m)
        self.assertEqual(m["Subject"], "Weekly report")
        self.assertEqual(m["Text"], "Numbers are up.\r\nDetails follow.\r\n")
        self.assertEqual(m["Date"][:19], "2026-11-03T10:00:00")
        self.assertEqual(m["ReturnPath"], "alice@example.org")
        self.assertEqual(m["Warnings"], [])
        listed = {x["ID"]: x for x in self.server.get_json("/api/v1/messages")["messages"]}
        self.assertTrue(listed[first]["Read"])
        self.assertFalse(listed[latest]["Read"])
        self.assertEqual(self.server.get_json("/api/v1/messages")["unread"], 1)
        self.assertEqual(self.server.get_json("/api/v1/message/latest")["ID"], latest)
        self.assertEqual(
            self.server.get_json("/api/v1/message/latest?query=subject:weekly")["ID"], first)

    def test_raw_is_the_exact_bytes(self):
        data = PLAIN + b"trailing spaces   \r\n\tand a tab\r\n"
        msg_id = self.server.send("alice@example.org", ["bob@example.net"], data)
        r = self.server.get("/api/v1/message/%s/raw" % msg_id)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, data)
        self.assertTrue(r.headers["Content-Type"].startswith("text/plain"))
        self.assertIsNone(r.headers.get("Content-Disposition"))
        dl = self.server.get("/api/v1/message/%s/raw?dl=1" % msg_id)
        self.assertEqual(dl.body, data)
        self.assertIn('attachment; filename="%s.eml"' % msg_id, dl.headers["Content-Disposition"])

    def test_headers(self):
        msg_id = self.server.send("alice@example.org", ["bob@example.net"], PLAIN)
        headers = self.server.get_json("/api/v1/message/%s/headers" % msg_id)
        self.assertEqual(headers["Subject"], ["Weekly report"])
        self.assertEqual(headers["Message-Id"], ["<report-1@example.org>"])
        self.assertEqual(headers["X-Folded"], ["first part second part"])
        self.assertEqual(list(headers), sorted(headers))

    def test_attachment_part(self):
        msg_id = self.server.send("reports@example.org", ["team@example.net"], MULTIPART)
        listed = self.server.get_json("/api/v1/messages")["messages"][0]
        self.assertEqual(listed["Attachments"], 1)
        self.assertEqual(listed["Snippet"], "Please find the invoice.")
        m = self.server.get_json("/api/v1/message/%s" % msg_id)
        self.assertEqual(len(m["Attachments"]), 1, m)
        a = m["Attachments"][0]
        self.assertEqual((a["FileName"], a["ContentType"], a["Size"]),
                         ("invoice.pdf", "application/pdf", len(ATTACHMENT)))
        self.assertEqual(a["Checksums"]["SHA256"], hashlib.sha256(ATTACHMENT).hexdigest())
        self.assertEqual(a["Checksums"]["MD5"], hashlib.md5(ATTACHMENT).hexdigest())
        part = self.server.get("/api/v1/message/%s/part/%s" % (msg_id, a["PartID"]))
        self.assertEqual(part.status, 200)
        self.assertEqual(part.body, ATTACHMENT)
        self.assertEqual(part.headers["Content-Type"], "application/pdf")
        self.assertIn('filename="invoice.pdf"', part.headers["Content-Disposition"])
        self.assertEqual(self.server.get("/api/v1/message/%s/part/9" % msg_id).status, 404)
        self.assertEqual(self.server.get("/api/v1/message/%s/part/1" % msg_id).status, 404,
                         "a multipart is no part to download")


class Envelope(ApiTestCase):
    def test_bcc_only_recipient_comes_from_the_envelope(self):
        data = message("Bcc test", to="visible@example.net")
        msg_id = self.server.send("sender@example.org",
                                  ["visible@example.net", "hidden@example.net"], data)
        m = self.server.get_json("/api/v1/message/%s" % msg_id)
        self.assertEqual(m["To"], [{"Name": "", "Address": "visible@example.net"}])
        self.assertEqual(m["Bcc"], [{"Name": "", "Address": "hidden@example.net"}])
        self.assertEqual(m["Envelope"]["To"], ["visible@example.net", "hidden@example.net"])
        listed = self.server.get_json("/api/v1/messages")["messages"][0]
        self.assertEqual(listed["Bcc"], [{"Name": "", "Address": "hidden@example.net"}])
        self.assertEqual(self.server.get("/api/v1/message/%s/raw" % msg_id).body, data,
                         "the stored bytes stay as sent")

    def test_null_sender(self):
        data = message("Bounce", sender="MAILER-DAEMON@example.org")
        msg_id = self.server.send("", ["postmaster@example.net"], data)
        m = self.server.get_json("/api/v1/message/%s" % msg_id)
        self.assertEqual(m["ReturnPath"], "")
        self.assertEqual(m["Envelope"]["From"], "")
        self.assertEqual(m["From"]["Address"], "MAILER-DAEMON@example.org")


class SearchAndChange(ApiTestCase):
    def setUp(self):
        super().setUp()
        s = self.server
        self.report = s.send("alice@example.org", ["bob@example.net"],
                             message("Weekly report", "Alice <alice@example.org>", "bob@example.net"))
        self.invoice = s.send("billing@shop.example", ["carol@example.net"],
                              message("Invoice 42", "billing@shop.example", "carol@example.net"))
        self.hello = s.send("alice@example.org", ["dave@example.net"],
                            message("Hello there", "alice@example.org", "dave@example.net"))

    def ids(self, query):
        data = self.server.get_json("/api/v1/search?query=" + query)
        return [m["ID"] for m in data["messages"]], data

    def test_search(self):
        self.assertEqual(self.ids("from:alice")[0], [self.hello, self.report])
        self.assertEqual(self.ids("to:carol")[0], [self.invoice])
        self.assertEqual(self.ids("subject:%22weekly%20report%22")[0], [self.report])
        self.assertEqual(self.ids("invoice")[0], [self.invoice])
        self.assertEqual(self.ids("from:alice+-subject:hello")[0], [self.report])
        ids, data = self.ids("from:alice&limit=1")
        self.assertEqual((ids, data["messages_count"], data["total"]), ([self.hello], 2, 3))
        self.assertEqual(self.server.get("/api/v1/search").status, 400)
        self.assertEqual(self.server.get("/api/v1/search?query=%20").status, 400)

    def test_read_status(self):
        r = self.server.request("PUT", "/api/v1/messages", {"IDs": [self.report], "Read": True})
        self.assertEqual((r.status, r.text), (200, "ok"))
        self.assertEqual(self.server.get_json("/api/v1/messages")["unread"], 2)
        self.assertEqual(self.ids("is:unread")[0], [self.hello, self.invoice])
        self.server.request("PUT", "/api/v1/messages", {"Read": True})
        self.assertEqual(self.server.get_json("/api/v1/messages")["unread"], 0)
        self.server.request("PUT", "/api/v1/messages", {"Search": "from:alice", "Read": False})
        self.assertEqual(self.ids("is:unread")[0], [self.hello, self.report])
        both = self.server.request("PUT", "/api/v1/messages", {"IDs": [self.hello], "Search": "x"})
        self.assertEqual(both.status, 400)

    def test_delete(self):
        r = self.server.request("DELETE", "/api/v1/messages", {"IDs": [self.invoice]})
        self.assertEqual((r.status, r.text), (200, "ok"))
        self.assertEqual(self.server.get("/api/v1/message/%s" % self.invoice).status, 404)
        self.assertEqual(self.server.get_json("/api/v1/messages")["total"], 2)
        r = self.server.request("DELETE", "/api/v1/search?query=subject:hello")
        self.assertEqual(r.status, 200)
        self.assertEqual([m["ID"] for m in self.server.get_json("/api/v1/messages")["messages"]],
                         [self.report])
        bad = self.server.request("DELETE", "/api/v1/messages", raw_body=b"{\"IDs\": [")
        self.assertEqual(bad.status, 400)
        self.assertEqual(self.server.get_json("/api/v1/messages")["total"], 1,
                         "malformed JSON deletes nothing")
        r = self.server.request("DELETE", "/api/v1/messages")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.server.get_json("/api/v1/messages")["total"], 0)


class BadInput(ApiTestCase):
    def test_unknown_ids_paths_and_methods(self):
        msg_id = self.server.send("a@example.org", ["b@example.net"], message("x"))
        s = self.server
        self.assertEqual(s.get("/api/v1/message/999999").status, 404)
        self.assertEqual(s.get("/api/v1/message/999999/raw").status, 404)
        self.assertEqual(s.get("/api/v1/nothing").status, 404)
        self.assertEqual(s.get("/api/v1/messages/").status, 404)
        self.assertEqual(s.get("/").status, 404)
        r = s.request("POST", "/api/v1/messages", {"x": 1})
        self.assertEqual(r.status, 405)
        self.assertEqual(set(r.headers["Allow"].split(", ")), {"GET", "PUT", "DELETE"})
        self.assertEqual(s.request("DELETE", "/api/v1/message/%s" % msg_id).status, 405)
        for bad in ("..%2F..%2Fetc%2Fpasswd", "%2E%2E", "1%2F..", "-1", "1e3", "0x10", "%00",
                    "12345678901234567890"):
            self.assertEqual(s.get("/api/v1/message/%s" % bad).status, 404, bad)
            self.assertEqual(s.get("/api/v1/message/%s/raw" % bad).status, 404, bad)
        for bad in ("..", "..%2F1", "1%2F..%2F..", "1..2", "%2Fetc%2Fpasswd", "1.a"):
            self.assertEqual(s.get("/api/v1/message/%s/part/%s" % (msg_id, bad)).status, 404, bad)
        self.assertEqual(s.get("/api/v1/session/..%2F1").status, 404)

    def test_malformed_json(self):
        for body in (b"{", b"[1,2]", b"\"x\"", b"{\"IDs\": \"1\"}", b"{\"IDs\": [\"../1\"]}",
                     b"\xff\xfe"):
            r = self.server.request("PUT", "/api/v1/messages", raw_body=body)
            self.assertEqual(r.status, 400, body)
        self.assertEqual(self.server.request("PUT", "/api/v1/messages", raw_body=b"").status, 400)

    def test_huge_body_is_refused_and_smtp_goes_on(self):
        head = (b"PUT /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000000000\r\n\r\n")
        with socket.create_connection(("127.0.0.1", self.server.api_port), timeout=30) as s:
            s.sendall(head)
            answer = b""
            try:
                for _ in range(64):
                    s.sendall(b"[" * 65536)
            except OSError:
                pass  # the server closed the connection: that is the point
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except OSError:
                pass
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:200])
        self.server.send("a@example.org", ["b@example.net"], message("still here"))
        self.assertEqual(self.server.get_json("/api/v1/messages")["total"], 1)

    def test_slow_client_blocks_nobody(self):
        with socket.create_connection(("127.0.0.1", self.server.api_port), timeout=30) as slow:
            slow.sendall(b"GET /api/v1/mess")  # and nothing more
            start = time.monotonic()
            self.server.send("a@example.org", ["b@example.net"], message("during"))
            self.assertEqual(self.server.get_json("/api/v1/messages")["total"], 1)
            self.assertLess(time.monotonic() - start, 20)

    def test_garbage_request(self):
        answer = self.server.raw_http(b"\x16\x03\x01\x02\x00garbage\r\n\r\n", timeout=5)
        self.assertFalse(answer.startswith(b"HTTP/1.1 200"), answer[:100])
        self.assertEqual(self.server.get("/livez").status, 200)


class Sessions(ApiTestCase):
    def test_session_and_transcript(self):
        msg_id = self.server.send("alice@example.org", ["bob@example.net"], PLAIN)
        session_id = self.server.get_json("/api/v1/message/%s" % msg_id)["SessionID"]
        deadline = time.monotonic() + 30
        while True:  # the session record is saved when the client has quit
            s = self.server.get_json("/api/v1/session/%s" % session_id)
            if s["State"] != "active" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(s["ID"], session_id)
        self.assertEqual(s["Helo"], "api-test.example")
        self.assertEqual(s["Peer"]["Address"], "127.0.0.1")
        self.assertEqual(s["State"], "quit")
        self.assertIsNone(s["TLS"])
        self.assertEqual(s["MessageIDs"], [msg_id])
        self.assertIsNotNone(s["Ended"])
        listed = self.server.get_json("/api/v1/sessions")
        self.assertEqual(listed["total"], 1)
        self.assertEqual(listed["sessions"][0]["ID"], session_id)
        entries = self.server.get_json("/api/v1/session/%s/transcript" % session_id)
        directions = {e["Direction"] for e in entries}
        self.assertTrue({"client", "server"} <= directions, directions)
        texts = "".join(e["Text"] for e in entries).upper()
        self.assertIn("EHLO API-TEST.EXAMPLE", texts)
        self.assertIn("MAIL FROM:<ALICE@EXAMPLE.ORG>", texts)
        text = self.server.get("/api/v1/session/%s/transcript?format=text" % session_id)
        self.assertTrue(text.headers["Content-Type"].startswith("text/plain"))
        self.assertRegex(text.text, r"(?mi)^\S+ C: EHLO api-test\.example$")
        self.assertRegex(text.text, r"(?m)^\S+ S: 221 ")
        self.assertEqual(self.server.get("/api/v1/session/999/transcript").status, 404)


class InfoAndProbes(ApiTestCase):
    def test_info(self):
        raw = message("x")
        self.server.send("a@example.org", ["b@example.net"], raw)
        info = self.server.get_json("/api/v1/info")
        for key in ("Version", "LatestVersion", "Database", "DatabaseSize", "Messages", "Unread",
                    "Tags", "RuntimeStats"):
            self.assertIn(key, info)
        self.assertEqual((info["Messages"], info["Unread"]), (1, 1))
        self.assertEqual(info["RuntimeStats"]["SMTPAccepted"], 1)
        self.assertEqual(info["RuntimeStats"]["SMTPAcceptedSize"], len(raw))
        self.assertEqual(info["SMTPListen"], "127.0.0.1:%d" % self.server.smtp_port)

    def test_probes(self):
        self.assertEqual(self.server.get("/readyz").status, 200)
        self.assertEqual(self.server.get("/livez").status, 200)


class Events(ApiTestCase):
    def test_new_delete_and_session_events(self):
        ws = self.server.events()
        try:
            self.assertTrue(ws.accepted, ws.status_line)
            msg_id = self.server.send("alice@example.org", ["bob@example.net"], PLAIN)
            new = ws.wait_for("new")
            self.assertEqual(new["Data"]["ID"], msg_id)
            self.assertEqual(new["Data"]["Subject"], "Weekly report")
            self.assertEqual(new["Data"]["From"]["Address"], "alice@example.org")
            session = ws.wait_for("session")
            self.assertIn(session["Data"]["State"], ("active", "quit"))
            self.server.request("DELETE", "/api/v1/messages", {"IDs": [msg_id]})
            self.assertEqual(ws.wait_for("delete")["Data"], {"ID": msg_id})
            self.server.request("DELETE", "/api/v1/messages")
            self.assertIsNone(ws.wait_for("truncate")["Data"])
        finally:
            ws.close()

    def test_cross_origin_and_plain_get_are_refused(self):
        ws = self.server.events({"Origin": "http://evil.example"})
        self.assertEqual(ws.status, 403)
        ws.close()
        same = self.server.events({"Origin": "http://127.0.0.1:%d" % self.server.api_port})
        self.assertTrue(same.accepted, same.status_line)
        same.close()
        self.assertEqual(self.server.get("/api/events").status, 400)


class Auth(unittest.TestCase):
    def test_basic_auth(self):
        with Smtpeek(["--api-user", "ci", "--api-password", "s3cret"]) as s:
            self.assertEqual(s.get("/api/v1/messages").status, 401)
            self.assertIn("Basic", s.get("/api/v1/info").headers["WWW-Authenticate"])
            wrong = "Basic " + base64.b64encode(b"ci:nope").decode()
            self.assertEqual(s.get("/api/v1/info", headers={"Authorization": wrong}).status, 401)
            good = "Basic " + base64.b64encode(b"ci:s3cret").decode()
            self.assertEqual(s.get("/api/v1/info", headers={"Authorization": good}).status, 200)
            self.assertEqual(s.get("/readyz").status, 200)
            refused = s.events()
            self.assertEqual(refused.status, 401)
            refused.close()
            accepted = s.events({"Authorization": good})
            self.assertTrue(accepted.accepted)
            accepted.close()


class CommandLine(unittest.TestCase):
    def test_bad_api_options(self):
        for args in (["--api", "nowhere:99999"], ["--api-user", "x"]):
            p = run_binary(["--headless", "--memory"] + args)
            self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"--api", run_binary(["--help"]).stdout)

    def test_explicit_api_port_in_use_is_fatal(self):
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen(1)
            port = busy.getsockname()[1]
            p = run_binary(["--headless", "--memory", "--listen", "127.0.0.1:0",
                            "--api", "127.0.0.1:%d" % port])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(b"api cannot listen", p.stderr)

    def test_no_api(self):
        with Smtpeek(["--api", "127.0.0.1:0"]) as s:
            self.assertTrue(s.base.startswith("http://127.0.0.1:"))
        proc = subprocess.Popen(
            [__import__("api_fixture").binary_path(), "--headless", "--memory", "--listen",
             "127.0.0.1:0", "--no-api"], env=__import__("api_fixture").server_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            first = proc.stdout.readline()
            self.assertIn("listening on", first)
        finally:
            proc.terminate()
            out, _ = proc.communicate(timeout=30)
        self.assertNotIn("api listening", first + out)


class Curl(ApiTestCase):
    """The same endpoints through curl, as CI scripts call them."""

    def curl(self, *args):
        p = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}"] + list(args),
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        body, _, code = p.stdout.rpartition(b"\n")
        return int(code), body

    def test_curl(self):
        msg_id = self.server.send("alice@example.org", ["bob@example.net"], PLAIN)
        base = self.server.base
        code, body = self.curl(base + "/api/v1/messages")
        self.assertEqual(code, 200)
        self.assertIn(b'"Subject":"Weekly report"', body)
        self.assertEqual(self.curl(base + "/api/v1/message/latest/raw")[1], PLAIN)
        self.assertEqual(self.curl(base + "/api/v1/search?query=from%3Aalice")[0], 200)
        self.assertEqual(self.curl("-X", "PUT", "-H", "Content-Type: application/json",
                                   "-d", '{"IDs":["%s"],"Read":true}' % msg_id,
                                   base + "/api/v1/messages"), (200, b"ok"))
        self.assertEqual(self.curl("-X", "DELETE", base + "/api/v1/messages"), (200, b"ok"))
        self.assertEqual(self.curl(base + "/api/v1/message/%s" % msg_id)[0], 404)
        self.assertEqual(self.curl("-X", "PATCH", base + "/api/v1/messages")[0], 405)


if __name__ == "__main__":
    unittest.main(verbosity=2)
