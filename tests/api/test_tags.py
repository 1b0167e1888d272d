"""Mailboxes over the real binary: tags from X-Tags, plus-addressing, --tag rules and routing
rules (--tag and --tags-file) as mail arrives, and Mailpit's tag routes round-tripping with
Mailpit's JSON (GET/PUT /api/v1/tags, PUT and DELETE /api/v1/tags/{tag}), Tags in the message
JSON, tag: and is:tagged in search, the counts of /api/v1/info, and names refused with a reason."""

import os
import tempfile
import unittest
import urllib.parse

from api_fixture import Smtpeek


def message(subject, extra=""):
    return ("From: app@example.org\r\nTo: user@example.net\r\nSubject: %s\r\n%s\r\nHello.\r\n"
            % (subject, extra)).encode()


class TagSources(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        rules = os.path.join(cls.dir.name, "tags.txt")
        with open(rules, "w") as f:
            f.write("# routing rules\n"
                    "Support <- recipient *@support.example\n"
                    "Urgent <- header:X-Priority /^[12]/\n"
                    "Local <- client 127.0.0.*\n")
        cls.server = Smtpeek(["--tag", "Invoices=subject:invoice", "--tags-file", rules]).start()

    @classmethod
    def tearDownClass(cls):
        alive = cls.server.alive()
        cls.server.stop()
        cls.dir.cleanup()
        assert alive, cls.server.stderr.decode(errors="replace")[-3000:]
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def setUp(self):
        self.assertEqual(self.server.request("DELETE", "/api/v1/messages").status, 200)

    def tags_of(self, message_id):
        return self.server.get_json("/api/v1/message/%s" % message_id)["Tags"]

    def test_sources_tag_what_they_should(self):
        s = self.server
        xtags = s.send("a@example.org", ["user@example.net"],
                       message("hi", "X-Tags: alpha, Beta,bad/one\r\n"))
        plus = s.send("a@example.org", ["user+orders@example.net", "help@support.example"],
                      message("hi"))
        rule = s.send("a@example.org", ["user@example.net"],
                      message("Your invoice", "X-Priority: 1\r\n"))
        self.assertEqual(self.tags_of(xtags), ["alpha", "Beta", "Local"])
        self.assertEqual(self.tags_of(plus), ["Local", "orders", "Support"])
        self.assertEqual(self.tags_of(rule), ["Invoices", "Local", "Urgent"])
        listed = {m["ID"]: m["Tags"] for m in s.get_json("/api/v1/messages")["messages"]}
        self.assertEqual(listed[plus], ["Local", "orders", "Support"])
        self.assertEqual(s.get_json("/api/v1/messages")["tags"],
                         ["alpha", "Beta", "Invoices", "Local", "orders", "Support", "Urgent"])
        self.assertEqual(s.get_json("/api/v1/info")["Tags"],
                         {"alpha": 1, "Beta": 1, "Invoices": 1, "Local": 3, "orders": 1,
                          "Support": 1, "Urgent": 1})

    def test_mailpit_tag_routes_round_trip(self):
        s = self.server
        ids = [s.send("a@example.org", ["user@example.net"], message("m%d" % i)) for i in range(3)]
        r = s.request("PUT", "/api/v1/tags", {"IDs": ids[:2], "Tags": ["Work", "Sales leads"]})
        self.assertEqual((r.status, r.text), (200, "ok"))
        self.assertEqual(s.get_json("/api/v1/tags"), ["Local", "Sales leads", "Work"])
        self.assertEqual(self.tags_of(ids[0]), ["Sales leads", "Work"])
        self.assertEqual(self.tags_of(ids[2]), ["Local"])  # PUT replaced the routed tag

        found = s.get_json("/api/v1/search?query=" + urllib.parse.quote('tag:"sales leads"'))
        self.assertEqual(sorted(m["ID"] for m in found["messages"]), sorted(ids[:2]))
        self.assertEqual(s.get_json("/api/v1/search?query=-is:tagged")["messages_count"], 0)

        r = s.request("PUT", "/api/v1/tags/" + urllib.parse.quote("Sales leads"), {"Name": "Leads"})
        self.assertEqual((r.status, r.text), (200, "ok"))
        self.assertEqual(s.get_json("/api/v1/tags"), ["Leads", "Local", "Work"])
        self.assertEqual(s.request("DELETE", "/api/v1/tags/work").status, 200)
        self.assertEqual(self.tags_of(ids[1]), ["Leads"])
        self.assertEqual(s.request("PUT", "/api/v1/tags", {"IDs": [ids[1]], "Tags": []}).status, 200)
        self.assertEqual(self.tags_of(ids[1]), [])
        self.assertEqual(s.get_json("/api/v1/search?query=is:tagged")["messages_count"], 2)
        # The messages themselves are untouched: raw bytes as sent.
        self.assertEqual(s.get("/api/v1/message/%s/raw" % ids[0]).body, message("m0"))

    def test_bad_names_are_refused_with_a_reason(self):
        s = self.server
        mid = s.send("a@example.org", ["user@example.net"], message("m"))
        for name, reason in (("a/b", "cannot contain /"), ("a\x01b", "control characters"),
                             ("x" * 1000, "at most 100"), ("", "needs a name"),
                             ("a,b", "cannot contain ,")):
            r = s.request("PUT", "/api/v1/tags", {"IDs": [mid], "Tags": [name]})
            self.assertEqual(r.status, 400, name)
            self.assertIn(reason, r.text)
        self.assertEqual(s.request("PUT", "/api/v1/tags", {"IDs": [mid], "Tags": "x"}).status, 400)
        self.assertEqual(s.request("PUT", "/api/v1/tags", {"IDs": ["../1"], "Tags": []}).status, 400)
        self.assertEqual(s.request("PUT", "/api/v1/tags", raw_body=b"{not json").status, 400)
        r = s.request("PUT", "/api/v1/tags/Local", {"Name": "a/b"})
        self.assertEqual(r.status, 400)
        self.assertIn("cannot contain /", r.text)
        self.assertEqual(s.request("PUT", "/api/v1/tags/nothing", {"Name": "x"}).status, 404)
        self.assertEqual(s.request("DELETE", "/api/v1/tags/nothing").status, 404)
        self.assertEqual(self.tags_of(mid), ["Local"])


class PlusAddressingOff(unittest.TestCase):
    def test_off_keeps_x_tags_only(self):
        with Smtpeek(["--tags-plus-addressing", "off"]) as s:
            mid = s.send("a@example.org", ["user+orders@example.net"],
                         message("m", "X-Tags: own\r\n"))
            self.assertEqual(s.get_json("/api/v1/message/%s" % mid)["Tags"], ["own"])

    def test_bad_rule_stops_with_its_reason(self):
        from api_fixture import run_binary
        result = run_binary(["--headless", "--memory", "--tag", "a/b=subject:x"])
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"--tag", result.stderr)
        self.assertIn(b"cannot contain /", result.stderr)


if __name__ == "__main__":
    unittest.main()
