#pragma once

// A DKIM key record (RFC 6376 3.6.1; k=ed25519 from RFC 8463), the text of a TXT record at
// selector._domainkey.domain.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

enum class DkimKeyType
{
    Rsa,
    Ed25519
};

struct DkimKeyRecord
{
    DkimKeyType type = DkimKeyType::Rsa;
    QByteArray publicKey;        // p=, decoded: DER SubjectPublicKeyInfo (RSA) or 32 raw bytes
    bool revoked = false;        // p= present and empty
    QList<QByteArray> hashes;    // h=; empty: any
    bool testing = false;        // t=y
    bool strictIdentity = false; // t=s: i= must be in d= itself, not a subdomain
};

struct DkimKeyRecordParse
{
    DkimKeyRecord record;
    QString problem; // empty when the record is usable (or revoked)

    bool ok() const { return problem.isEmpty(); }
};

DkimKeyRecordParse parseDkimKeyRecord(QByteArrayView text);
