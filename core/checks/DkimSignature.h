#pragma once

// A DKIM-Signature field (RFC 6376 3.5) or an ARC-Message-Signature (RFC 8617 4.1.2, the same
// tags with i= as the ARC instance and no v=), read strictly: every problem that makes the
// signature unverifiable is listed.

#include "DkimCanonicalization.h"
#include "TagList.h"

#include <QList>
#include <QStringList>
#include <optional>

enum class DkimAlgorithm
{
    RsaSha256,
    RsaSha1,      // RFC 8301: obsolete; verified, but reported as weak
    Ed25519Sha256 // RFC 8463
};

enum class DkimSignatureKind
{
    Dkim,
    ArcMessageSignature
};

struct DkimSignature
{
    QByteArray algorithmName; // a=, as written
    DkimAlgorithm algorithm = DkimAlgorithm::RsaSha256;
    QByteArray signature; // b=, decoded
    QByteArray bodyHash;  // bh=, decoded
    DkimCanonicalization headerCanonicalization = DkimCanonicalization::Simple;
    DkimCanonicalization bodyCanonicalization = DkimCanonicalization::Simple;
    QByteArray canonicalizationName;  // "relaxed/simple"
    QByteArray domain;                // d=, lower-cased
    QByteArray selector;              // s=
    QList<QByteArray> signedHeaders;  // h=, lower-cased, in order
    QByteArray identity;              // i= of a DKIM-Signature (default "@" + d=)
    int instance = 0;                 // i= of an ARC-Message-Signature
    std::optional<qint64> bodyLength; // l=
    std::optional<qint64> timestamp;  // t=
    std::optional<qint64> expiration; // x=
    TagList tags;                     // for the b= value's place in the field

    // "selector._domainkey.domain", where the key record is.
    QString keyName() const;
};

struct DkimSignatureParse
{
    DkimSignature signature;
    QStringList problems; // each makes the signature a permerror

    bool ok() const { return problems.isEmpty(); }
};

// Reads the value of the field (the bytes after the colon).
DkimSignatureParse parseDkimSignature(QByteArrayView value,
                                      DkimSignatureKind kind = DkimSignatureKind::Dkim);

// Decodes strict base64 (white space allowed, as in b= and p=); nullopt when it is not base64.
std::optional<QByteArray> decodeBase64Value(QByteArrayView value);

// A whole number of at most 18 digits, for t=, x=, l= and i=.
std::optional<qint64> decimalValue(QByteArrayView value);
