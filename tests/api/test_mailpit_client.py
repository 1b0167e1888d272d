"""The `mailpit-api` client library from the npm registry, run with Node.js against smtpeek:
it lists, searches, reads and deletes what smtplib sent. Installs the pinned package
(node/package-lock.json) with `npm ci` when node/node_modules is missing."""

import os
import shutil
import subprocess
import unittest

from api_fixture import Smtpeek

NODE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node")

WELCOME = (b"From: My App <no-reply@app.example>\r\n"
           b"To: new.user@example.net\r\n"
           b"Subject: Welcome to smtpeek\r\n"
           b"MIME-Version: 1.0\r\n"
           b"Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
           b"\r\n"
           b"--alt\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n"
           b"\r\n"
           b"Confirm your address: https://app.example/confirm?t=1\r\n"
           b"--alt\r\n"
           b"Content-Type: text/html; charset=utf-8\r\n"
           b"\r\n"
           b"<p><a href=\"https://app.example/confirm?t=1\">Confirm your address</a></p>\r\n"
           b"--alt--\r\n")

INVOICE = (b"From: billing@app.example\r\n"
           b"To: customer@example.net\r\n"
           b"Subject: Invoice attached\r\n"
           b"MIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=\"mix\"\r\n"
           b"\r\n"
           b"--mix\r\n"
           b"Content-Type: text/plain\r\n"
           b"\r\n"
           b"See attachment.\r\n"
           b"--mix\r\n"
           b"Content-Type: text/plain; name=invoice.txt\r\n"
           b"Content-Disposition: attachment; filename=invoice.txt\r\n"
           b"\r\n"
           b"Invoice 42: 10 EUR\r\n"
           b"--mix--\r\n")


def ensure_node_modules():
    if os.path.isdir(os.path.join(NODE_DIR, "node_modules", "mailpit-api")):
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True,
                   timeout=300)


class MailpitClientLibrary(unittest.TestCase):
    @unittest.skipUnless(shutil.which("node") and shutil.which("npm"), "needs Node.js and npm")
    def test_mailpit_api_client(self):
        ensure_node_modules()
        with Smtpeek() as server:
            server.send("no-reply@app.example", ["new.user@example.net"], WELCOME)
            server.send("billing@app.example", ["customer@example.net"], INVOICE)
            env = dict(os.environ, SMTPEEK_API_URL=server.base)
            p = subprocess.run(["node", "mailpit_client.mjs"], cwd=NODE_DIR, env=env,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("all checks passed", p.stdout)
            self.assertTrue(server.alive())
        self.assertIsNone(server.sanitizer_report())


if __name__ == "__main__":
    unittest.main(verbosity=2)
