#!/usr/bin/python3
"""Regenerates the DKIM and ARC test vectors of tests/unit/tst_dkimverifier.cpp with an
independent signer (Debian's python3-dkim): fresh RSA-2048 and ed25519 keys, the messages they
sign, and keys.txt in the --dkim-keys format. Run from this folder: ./make_vectors.py"""

import base64

import dkim
from cryptography.hazmat.primitives import serialization as s
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

MESSAGE = (b"From: Alice <alice@mail.example.com>\r\n"
           b"To: bob@example.net\r\n"
           b"Subject: Signed report\r\n"
           b"Date: Tue, 03 Nov 2026 10:00:00 +0100\r\n"
           b"Message-ID: <signed-1@mail.example.com>\r\n"
           b"\r\n"
           b"Numbers are  up.\r\n"
           b"Details follow.\r\n"
           b"\r\n")

rsa_key = rsa.generate_private_key(65537, 2048)
rsa_pem = rsa_key.private_bytes(s.Encoding.PEM, s.PrivateFormat.TraditionalOpenSSL,
                                s.NoEncryption())
rsa_public = base64.b64encode(rsa_key.public_key().public_bytes(
    s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo)).decode()
ed_key = ed25519.Ed25519PrivateKey.generate()
ed_private = base64.b64encode(ed_key.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw,
                                                   s.NoEncryption()))
ed_public = base64.b64encode(ed_key.public_key().public_bytes(s.Encoding.Raw,
                                                              s.PublicFormat.Raw)).decode()

with open("keys.txt", "w") as keys:
    keys.write("# DKIM test keys (public halves), as smtpeek --dkim-keys reads them\n")
    keys.write("rsa._domainkey.example.com v=DKIM1; k=rsa; p=%s\n" % rsa_public)
    keys.write('ed._domainkey.example.com "v=DKIM1; k=ed25519; " "p=%s"\n' % ed_public)
    keys.write("arc._domainkey.lists.example.org v=DKIM1; k=rsa; p=%s\n" % rsa_public)

vectors = {
    "rsa-relaxed.eml": dict(selector=b"rsa", privkey=rsa_pem,
                            canonicalize=(b"relaxed", b"relaxed")),
    "rsa-simple.eml": dict(selector=b"rsa", privkey=rsa_pem, canonicalize=(b"simple", b"simple")),
    "rsa-length.eml": dict(selector=b"rsa", privkey=rsa_pem,
                           canonicalize=(b"relaxed", b"relaxed"), length=True),
    "rsa-sha1.eml": dict(selector=b"rsa", privkey=rsa_pem, signature_algorithm=b"rsa-sha1"),
    "ed25519.eml": dict(selector=b"ed", privkey=ed_private,
                        signature_algorithm=b"ed25519-sha256",
                        canonicalize=(b"relaxed", b"relaxed")),
}
for name, args in vectors.items():
    with open(name, "wb") as out:
        out.write(dkim.sign(MESSAGE, domain=b"example.com", **args) + MESSAGE)

received = (b"Authentication-Results: lists.example.org; dkim=pass header.d=example.com\r\n" +
            dkim.sign(MESSAGE, b"rsa", b"example.com", rsa_pem) + MESSAGE)
sealed = b"".join(dkim.arc_sign(received, b"arc", b"lists.example.org", rsa_pem,
                                b"lists.example.org")) + received
with open("arc.eml", "wb") as out:
    out.write(sealed)
