#pragma once

// Authentication of a message: every DKIM signature verified, the DMARC alignment of the From
// domain with the passing ones, and the ARC chain.

#include "ArcChain.h"
#include "DkimVerifier.h"
#include "KeyRecordSource.h"

struct DkimReport
{
    DkimVerification verification;
    bool aligned = false;       // passes and d= shares the From domain's organisational domain
    bool alignedStrict = false; // passes and d= is the From domain
};

struct DmarcReport
{
    QString fromDomain; // of the first From mailbox; empty when there is none
    QString organizationalDomain;
    bool aligned = false;       // some passing signature is relaxed-aligned
    bool alignedStrict = false; // some passing signature is strictly aligned
};

struct AuthReport
{
    QList<DkimReport> dkim; // in header order
    DmarcReport dmarc;
    ArcChainReport arc;
};

// DKIM-Signature fields past this many are reported unverified, so that a hostile message
// cannot make smtpeek look up and check thousands of keys.
constexpr int kMaxDkimSignatures = 16;
// How long the key lookups of one message may take in all.
constexpr int kKeyLookupTimeoutMs = 5000;

// The key records a message's signatures and seals need.
QStringList authKeyNames(const QByteArray &raw);

// The report for `raw`, given the answers for authKeyNames() at time `nowSecs`. Pure.
AuthReport authenticateMessage(const QByteArray &raw, const QHash<QString, KeyRecordAnswer> &keys,
                               qint64 nowSecs);

// Looks the keys up in `source` (blocking, at most kKeyLookupTimeoutMs) and authenticates.
AuthReport authenticateMessage(const QByteArray &raw, const KeyRecordSource &source);
