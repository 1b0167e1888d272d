#pragma once

// Signs test messages with a fresh ed25519 key through the verifier's own canonicalization,
// for what the independent signer (python3-dkim, tests/data/dkim) cannot write: x=, huge
// inputs. Only the vectors prove interoperability; this proves the checks around them.

#include "checks/DkimVerifier.h"

#include <QCryptographicHash>

#include <openssl/evp.h>

class DkimTestSigner
{
public:
    DkimTestSigner() : m_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")) {}
    ~DkimTestSigner() { EVP_PKEY_free(m_key); }
    DkimTestSigner(const DkimTestSigner &) = delete;
    DkimTestSigner &operator=(const DkimTestSigner &) = delete;

    // The key record for s=test, d=example.com.
    QByteArray keyRecord() const
    {
        unsigned char raw[32];
        size_t size = sizeof raw;
        EVP_PKEY_get_raw_public_key(m_key, raw, &size);
        return "v=DKIM1; k=ed25519; p=" +
               QByteArray(reinterpret_cast<const char *>(raw), int(size)).toBase64();
    }

    // `message` with a relaxed/relaxed DKIM-Signature over From and Subject on top; `tags` go
    // before b=, e.g. "x=1000; ".
    QByteArray sign(const QByteArray &message, const QByteArray &tags = {}) const
    {
        const RawHeaderBlock unsigned_ = scanHeaderBlock(message);
        const QByteArray bodyHash = QCryptographicHash::hash(
            canonicalBody(DkimCanonicalization::Relaxed,
                          QByteArrayView(message).sliced(unsigned_.bodyOffset)),
            QCryptographicHash::Sha256);
        const QByteArray field = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; "
                                 "d=example.com; s=test; h=from:subject; bh=" +
                                 bodyHash.toBase64() + "; " + tags + "b=";
        // The b= value is removed before hashing, so a placeholder stands in for it.
        const QByteArray draft = field + "AAAA\r\n" + message;
        const RawHeaderBlock block = scanHeaderBlock(draft);
        const DkimSignatureParse parse = parseDkimSignature(block.fields.first().value);
        const QByteArray data = QCryptographicHash::hash(
            signedHeaderData(draft, block, block.fields.first(), parse.signature),
            QCryptographicHash::Sha256);
        unsigned char signature[64];
        size_t size = sizeof signature;
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, m_key);
        EVP_DigestSign(ctx, signature, &size,
                       reinterpret_cast<const unsigned char *>(data.constData()),
                       size_t(data.size()));
        EVP_MD_CTX_free(ctx);
        return field + QByteArray(reinterpret_cast<const char *>(signature), int(size)).toBase64() +
               "\r\n" + message;
    }

private:
    EVP_PKEY *m_key;
};
