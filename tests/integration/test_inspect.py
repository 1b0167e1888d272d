"""`smtpeek --inspect FILE [--json]` on the real binary: text and JSON output, exit codes."""

import json
import os
import tempfile
import unittest

from smtpeek_fixture import run_binary

MESSAGE = (b"From: =?UTF-8?B?SsO2cmc=?= <jorg@example.com>\r\n"
           b"To: dev@example.com\r\nSubject: =?ISO-8859-1?Q?caf=E9?=\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n"
           b"--b\r\nContent-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename=\"../../etc/report.pdf\"\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n")


class InspectTest(unittest.TestCase):
    def setUp(self):
        handle, self.path = tempfile.mkstemp(suffix=".eml")
        os.write(handle, MESSAGE)
        os.close(handle)
        self.addCleanup(os.unlink, self.path)

    def test_text(self):
        result = run_binary(["--inspect", self.path])
        self.assertEqual(result.returncode, 0, result.stderr)
        out = result.stdout.decode()
        self.assertIn("Jörg <jorg@example.com>", out)
        self.assertIn("café", out)
        self.assertIn("application/pdf", out)

    def test_json(self):
        result = run_binary(["--inspect", self.path, "--json"])
        self.assertEqual(result.returncode, 0, result.stderr)
        decoded = json.loads(result.stdout)
        self.assertIn("café", json.dumps(decoded, ensure_ascii=False))
        self.assertIn("report.pdf", json.dumps(decoded))

    def test_unreadable_file(self):
        result = run_binary(["--inspect", "/nonexistent/message.eml"])
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"cannot read", result.stderr)
        self.assertEqual(result.stdout, b"")


if __name__ == "__main__":
    unittest.main(verbosity=2)
