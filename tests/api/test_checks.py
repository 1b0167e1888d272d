"""smtpeek's check endpoints over HTTP on the real binary: /api/v1/message/{ID}/auth with
messages signed by an independent signer (Debian's python3-dkim) under RSA-2048 and ed25519
keys that the test makes and hands to smtpeek with --dkim-keys, and /api/v1/message/{ID}/lint.
Runs under Debian's python3, which has python3-dkim."""

import base64
import os
import shutil
import tempfile
import unittest

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from api_fixture import Smtpeek

MESSAGE = (b"From: Alice <alice@mail.example.com>\r\n"
           b"To: bob@example.net\r\n"
           b"Subject: Quarterly numbers\r\n"
           b"Date: Tue, 03 Nov 2026 10:00:00 +0100\r\n"
           b"Message-ID: <q3@mail.example.com>\r\n"
           b"\r\n"
           b"Revenue is  up.\r\n"
           b"Costs are down.\r\n")


def message(sender=b"Alice <alice@mail.example.com>"):
    return MESSAGE.replace(b"Alice <alice@mail.example.com>", sender)


class Keys:
    """An RSA-2048 and an ed25519 key pair, and the keys file that publishes them."""

    def __init__(self, folder):
        self.rsa = rsa.generate_private_key(65537, 2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption())
        rsa_public = serialization.load_pem_private_key(self.rsa, None).public_key()
        ed_key = ed25519.Ed25519PrivateKey.generate()
        self.ed25519 = base64.b64encode(ed_key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption()))
        records = {
            "rsa._domainkey.example.com": "v=DKIM1; k=rsa; p=" + base64.b64encode(
                rsa_public.public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)).decode(),
            "ed._domainkey.example.com": "v=DKIM1; k=ed25519; p=" + base64.b64encode(
                ed_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                 serialization.PublicFormat.Raw)).decode(),
            "revoked._domainkey.example.com": "v=DKIM1; p=",
            "arc._domainkey.lists.example.org": "v=DKIM1; k=rsa; p=" + base64.b64encode(
                rsa_public.public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)).decode(),
            "junk._domainkey.example.com": "this is not a key record",
        }
        self.path = os.path.join(folder, "dkim-keys")
        with open(self.path, "w") as out:
            for name, record in records.items():
                out.write("%s %s\n" % (name, record))


class ChecksTestCase(unittest.TestCase):
    """One server for the class: every test sends its own messages and reads them by ID."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="smtpeek-dkim-")
        cls.keys = Keys(cls.folder)
        cls.server = Smtpeek(["--dkim-keys", cls.keys.path]).start()

    @classmethod
    def tearDownClass(cls):
        alive = cls.server.alive()
        cls.server.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)
        assert alive, "smtpeek died: %s" % cls.server.stderr.decode(errors="replace")[-3000:]
        assert cls.server.sanitizer_report() is None, cls.server.sanitizer_report()

    def sign(self, data, selector=b"rsa", algorithm=b"rsa-sha256",
             canonicalize=(b"relaxed", b"relaxed"), length=False):
        key = self.keys.ed25519 if algorithm == b"ed25519-sha256" else self.keys.rsa
        return dkim.sign(data, selector, b"example.com", key, signature_algorithm=algorithm,
                         canonicalize=canonicalize, length=length) + data

    def auth(self, data):
        msg_id = self.server.send("alice@mail.example.com", ["bob@example.net"], data)
        return self.server.get_json("/api/v1/message/%s/auth" % msg_id)

    def only_signature(self, data):
        report = self.auth(data)
        self.assertEqual(len(report["DKIM"]), 1, report)
        return report["DKIM"][0], report


class Dkim(ChecksTestCase):
    def test_valid_signatures_pass(self):
        for name, kwargs, algorithm, canonicalization in (
                ("rsa relaxed", {}, "rsa-sha256", "relaxed/relaxed"),
                ("rsa simple", dict(canonicalize=(b"simple", b"simple")), "rsa-sha256",
                 "simple/simple"),
                ("rsa l=", dict(length=True), "rsa-sha256", "relaxed/relaxed"),
                ("ed25519 relaxed", dict(selector=b"ed", algorithm=b"ed25519-sha256"),
                 "ed25519-sha256", "relaxed/relaxed"),
                ("ed25519 simple", dict(selector=b"ed", algorithm=b"ed25519-sha256",
                                        canonicalize=(b"simple", b"simple")),
                 "ed25519-sha256", "simple/simple")):
            with self.subTest(name):
                signature, _ = self.only_signature(self.sign(MESSAGE, **kwargs))
                self.assertEqual(
                    {k: signature[k] for k in ("Domain", "Algorithm", "Canonicalization",
                                               "BodyHash", "Signature", "Result")},
                    {"Domain": "example.com", "Algorithm": algorithm,
                     "Canonicalization": canonicalization, "BodyHash": "pass",
                     "Signature": "pass", "Result": "pass"}, signature)
                self.assertIn(signature["Selector"], ("rsa", "ed"))

    def test_changed_body_fails_the_body_hash(self):
        for algorithm, selector in ((b"rsa-sha256", b"rsa"), (b"ed25519-sha256", b"ed")):
            for canonicalize in ((b"relaxed", b"relaxed"), (b"simple", b"simple")):
                with self.subTest(algorithm=algorithm, canonicalize=canonicalize):
                    signed = self.sign(MESSAGE, selector, algorithm, canonicalize)
                    signature, _ = self.only_signature(signed.replace(b"Revenue is", b"Revenue was"))
                    self.assertEqual((signature["BodyHash"], signature["Signature"],
                                      signature["Result"]), ("fail", "pass", "fail"))
                    self.assertIn("body changed", signature["Reason"])

    def test_changed_header_fails_the_signature(self):
        for algorithm, selector in ((b"rsa-sha256", b"rsa"), (b"ed25519-sha256", b"ed")):
            for canonicalize in ((b"relaxed", b"relaxed"), (b"simple", b"simple")):
                with self.subTest(algorithm=algorithm, canonicalize=canonicalize):
                    signed = self.sign(MESSAGE, selector, algorithm, canonicalize)
                    signature, _ = self.only_signature(
                        signed.replace(b"Subject: Quarterly numbers", b"Subject: Quarterly rumours"))
                    self.assertEqual((signature["BodyHash"], signature["Signature"],
                                      signature["Result"]), ("pass", "fail", "fail"))
                    self.assertIn("headers changed", signature["Reason"])

    def test_length_tag_lets_appended_text_pass(self):
        signed = self.sign(MESSAGE, length=True) + b"Appended by a list.\r\n"
        signature, _ = self.only_signature(signed)
        self.assertEqual(signature["Result"], "pass")
        self.assertIn("can be appended", signature["Reason"])

    def test_key_problems(self):
        for selector, result, reason in ((b"missing", "permerror", "no key record"),
                                         (b"revoked", "permerror", "revoked"),
                                         (b"junk", "permerror", "not a tag list")):
            with self.subTest(selector=selector):
                signature, _ = self.only_signature(self.sign(MESSAGE, selector=selector))
                self.assertEqual((signature["Result"], signature["Signature"]), (result, "none"))
                self.assertEqual(signature["BodyHash"], "pass")
                self.assertIn(reason, signature["Reason"])

    def test_unsigned_message(self):
        report = self.auth(MESSAGE)
        self.assertEqual(report["DKIM"], [])
        self.assertEqual(report["DMARC"]["Aligned"], False)
        self.assertEqual(report["ARC"], [])
        self.assertEqual(report["ARCChain"]["Result"], "none")


class Arc(ChecksTestCase):
    def sealed(self):
        received = (b"Authentication-Results: lists.example.org; dkim=pass header.d=example.com\r\n"
                    + self.sign(MESSAGE))
        return b"".join(dkim.arc_sign(received, b"arc", b"lists.example.org", self.keys.rsa,
                                      b"lists.example.org")) + received

    def test_chain(self):
        report = self.auth(self.sealed())
        self.assertEqual(report["ARCChain"]["Result"], "pass", report["ARCChain"])
        self.assertEqual(len(report["ARC"]), 1)
        arc = report["ARC"][0]
        self.assertEqual((arc["Instance"], arc["ChainValidation"], arc["Domain"], arc["Selector"],
                          arc["Seal"], arc["MessageSignature"], arc["Problems"]),
                         (1, "none", "lists.example.org", "arc", "pass", "pass", []))
        self.assertEqual(report["DKIM"][0]["Result"], "pass")

    def test_changed_body_breaks_the_chain(self):
        report = self.auth(self.sealed().replace(b"Costs are", b"Costs were"))
        self.assertEqual(report["ARCChain"]["Result"], "fail")
        self.assertEqual(report["ARC"][0]["MessageSignature"], "fail")


class Dmarc(ChecksTestCase):
    def test_alignment(self):
        for sender, domain, relaxed, strict in (
                (b"a@mail.example.com", "mail.example.com", True, False),
                (b"A <a@example.com>", "example.com", True, True),
                (b"a@example.org", "example.org", False, False)):
            with self.subTest(sender=sender):
                signature, report = self.only_signature(self.sign(message(sender)))
                self.assertEqual(signature["Result"], "pass")
                self.assertEqual((signature["Aligned"], signature["AlignedStrict"]),
                                 (relaxed, strict))
                self.assertEqual(report["DMARC"]["FromDomain"], domain)
                self.assertEqual(report["DMARC"]["Aligned"], relaxed)
                self.assertEqual(report["DMARC"]["AlignedStrict"], strict)

    def test_failing_signature_does_not_align(self):
        signed = self.sign(message(b"a@example.com")).replace(b"Costs are", b"Costs were")
        signature, report = self.only_signature(signed)
        self.assertEqual(signature["Result"], "fail")
        self.assertEqual((signature["Aligned"], report["DMARC"]["Aligned"]), (False, False))
        self.assertEqual(report["DMARC"]["OrganizationalDomain"], "example.com")


class Lint(ChecksTestCase):
    def test_shape_and_findings(self):
        data = (b"From: alice@example.com\r\n"
                b"To: bob example.net\r\n"
                b"Subject: Caf\xc3\xa9\r\n"
                b"\r\n"
                b"Hello.\r\n")
        msg_id = self.server.send("alice@example.com", ["bob@example.net"], data)
        lint = self.server.get_json("/api/v1/message/%s/lint" % msg_id)
        self.assertEqual(set(lint), {"Errors", "Warnings", "Findings"})
        for finding in lint["Findings"]:
            self.assertEqual(set(finding), {"ID", "Severity", "Reference", "Offset", "Line",
                                            "Message", "Fix"})
        by_id = {f["ID"]: f for f in lint["Findings"]}
        self.assertEqual(by_id["rfc5322.date-missing"]["Severity"], "error")
        self.assertEqual(by_id["rfc5322.date-missing"]["Offset"], data.index(b"\r\nHello"))
        self.assertEqual(by_id["rfc5322.date-missing"]["Line"], 4)
        self.assertEqual(by_id["rfc5322.address-syntax"]["Offset"], data.index(b"bob example"))
        self.assertEqual(by_id["rfc5322.address-syntax"]["Line"], 2)
        self.assertEqual(by_id["rfc5322.address-syntax"]["Reference"], "RFC 5322 3.4")
        # No SMTPUTF8 and no BODY=8BITMIME: the header's UTF-8 and the SMTP warning both count.
        self.assertEqual(by_id["rfc6532.utf8-without-smtputf8"]["Line"], 3)
        self.assertEqual(by_id["smtp.compliance"]["Reference"], "RFC 6152")
        self.assertEqual(by_id["smtp.compliance"]["Offset"], -1)
        severities = [f["Severity"] for f in lint["Findings"]]
        self.assertEqual(lint["Errors"], severities.count("error"))
        self.assertEqual(lint["Warnings"], severities.count("warning"))

    def test_clean_message_and_routes(self):
        clean = (b"From: Alice <alice@example.com>\r\n"
                 b"To: bob@example.net\r\n"
                 b"Subject: Hello\r\n"
                 b"Date: Tue, 03 Nov 2026 10:00:00 +0100\r\n"
                 b"Message-ID: <m1@example.com>\r\n"
                 b"List-Unsubscribe: <https://example.com/u>\r\n"
                 b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                 b"\r\n"
                 b"Hello.\r\n")
        msg_id = self.server.send("alice@example.com", ["bob@example.net"], clean)
        self.assertEqual(self.server.get_json("/api/v1/message/%s/lint" % msg_id),
                         {"Errors": 0, "Warnings": 0, "Findings": []})
        self.assertEqual(self.server.get_json("/api/v1/message/latest/lint")["Errors"], 0)
        self.assertIn("DKIM", self.server.get_json("/api/v1/message/latest/auth"))
        for path in ("/api/v1/message/999999/lint", "/api/v1/message/999999/auth",
                     "/api/v1/message/x/lint"):
            self.assertEqual(self.server.get(path).status, 404, path)
        self.assertEqual(self.server.request("POST", "/api/v1/message/%s/lint" % msg_id).status,
                         405)


if __name__ == "__main__":
    unittest.main(verbosity=2)
