#pragma once

// The ARC chain of a message (RFC 8617): its ARC-Seal, ARC-Message-Signature and
// ARC-Authentication-Results sets by instance, checked for structure (every instance from 1
// to the highest, each with exactly one field of each kind; cv= none at 1 and pass after) and
// cryptographically (every seal, and every message signature; only the newest one decides).

#include "DkimVerifier.h"

#include <QHash>

struct ArcSetReport
{
    int instance = 0;
    QString chainValidation;       // cv= of the seal
    QString domain;                // d= of the seal
    QString selector;              // s= of the seal
    QString authenticationResults; // what the sealer saw: the ARC-Authentication-Results text
    CheckOutcome seal = CheckOutcome::None;
    CheckOutcome messageSignature = CheckOutcome::None;
    QStringList problems;
};

struct ArcChainReport
{
    QList<ArcSetReport> sets; // by instance, ascending
    QString result;           // "none" (no ARC fields), "pass" or "fail"
    QString reason;
};

// Key records the chain's seals and message signatures need ("s._domainkey.d").
QStringList arcKeyNames(const RawHeaderBlock &header);

ArcChainReport checkArcChain(QByteArrayView raw, const RawHeaderBlock &header,
                             const QHash<QString, KeyRecordAnswer> &keys);
