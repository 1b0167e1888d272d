#pragma once

// DKIM verification (RFC 6376 6.1; ed25519-sha256 of RFC 8463) of one signature whose key
// record has been looked up. The body hash and the header signature are checked separately,
// so a failure says whether the body or the signed headers changed.
//
// Why our own verifier and not a library: Debian 12 has OpenDKIM (libopendkim-dev
// 2.11.0~beta2), and its build does verify ed25519 and rsa from memory with a custom key lookup
// (dkim_set_key_lookup). But its lookup is a synchronous callback inside dkim_eom(), so
// asynchronous DNS would need the signatures parsed beforehand anyway; when the header
// signature fails it leaves the body hash untested (dkim_sig_getbh() answers UNTESTED), so it
// cannot say "headers changed, body intact"; and its canonicalization is internal, while ours
// must be a tested function of its own. What is left for a library is the crypto, and that is
// OpenSSL 3's EVP_DigestVerify. Upstream OpenDKIM has had no release since that 2018 beta.

#include "DkimKeyRecord.h"
#include "DkimSignature.h"
#include "KeyRecordSource.h"
#include "RawHeaders.h"

enum class CheckOutcome
{
    Pass,
    Fail,
    None // not checked: the signature or the key was unusable
};

// "pass", "fail", "none"
QString checkOutcomeName(CheckOutcome outcome);

struct DkimVerification
{
    qsizetype offset = 0; // of the DKIM-Signature field in the message
    QString domain;
    QString selector;
    QString algorithm;
    QString canonicalization;
    QString identity;
    CheckOutcome bodyHash = CheckOutcome::None;
    CheckOutcome signature = CheckOutcome::None;
    QString result; // RFC 8601 2.7.1: pass, fail, neutral, permerror, temperror
    QString reason; // one line: why, and what else is worth knowing (weak algorithm, l=, ...)
};

// The body hash of `signature` against the body at raw[bodyOffset...], l= applied.
struct BodyHashCheck
{
    CheckOutcome outcome = CheckOutcome::None;
    QString problem; // l= longer than the canonical body (then outcome None)
    qint64 canonicalLength = 0;
};
BodyHashCheck checkBodyHash(QByteArrayView raw, qsizetype bodyOffset,
                            const DkimSignature &signature);

// What the header signature covers (RFC 6376 3.7, 5.4.2): the h= fields chosen from the bottom
// up, canonicalized, then `signatureField` with its b= value removed and no final CRLF.
QByteArray signedHeaderData(QByteArrayView raw, const RawHeaderBlock &header,
                            const RawHeaderField &signatureField, const DkimSignature &signature);

// The field with the b= value (surrounding white space included) removed, canonicalized, with
// no final CRLF: how a signature field enters its own hash (DKIM 3.7, ARC-Seal 5.1.1).
QByteArray unsignedSignatureField(QByteArrayView raw, const RawHeaderField &field,
                                  const TagList &tags, DkimCanonicalization canonicalization);

// Verifies `signature` over `data` with the key: true, false, or a problem with the key.
struct SignatureCheck
{
    CheckOutcome outcome = CheckOutcome::None;
    QString problem; // the key is unusable for this algorithm (then outcome None)
};
SignatureCheck verifySignedData(DkimAlgorithm algorithm, const DkimKeyRecord &key,
                                QByteArrayView data, QByteArrayView signature);

// The first usable key record of an answer, or the permerror/temperror that says why not.
struct KeyChoice
{
    std::optional<DkimKeyRecord> key;
    QString result; // when there is no key: "permerror" or "temperror"
    QString problem;
};
KeyChoice chooseKey(const KeyRecordAnswer &answer, const QString &name);

// Verifies the DKIM-Signature `field` of the message with the key records in `key`, at time
// `nowSecs` (seconds since the epoch, for x=).
DkimVerification verifyDkimSignature(QByteArrayView raw, const RawHeaderBlock &header,
                                     const RawHeaderField &field, const KeyRecordAnswer &key,
                                     qint64 nowSecs);
