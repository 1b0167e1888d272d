#include "DkimVerifier.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace {

struct PkeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// RFC 8301 3.2: keys under 1024 bits must not be accepted.
constexpr int kMinimumRsaBits = 1024;

QCryptographicHash::Algorithm hashOf(DkimAlgorithm algorithm)
{
    return algorithm == DkimAlgorithm::RsaSha1 ? QCryptographicHash::Sha1
                                               : QCryptographicHash::Sha256;
}

QByteArray hashName(DkimAlgorithm algorithm)
{
    return algorithm == DkimAlgorithm::RsaSha1 ? "sha1" : "sha256";
}

// p= of an RSA key is a DER SubjectPublicKeyInfo; some publishers put a bare PKCS#1
// RSAPublicKey there, which verifiers accept too.
Pkey rsaKey(const QByteArray &der)
{
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *cursor = data;
    Pkey key(d2i_PUBKEY(nullptr, &cursor, long(der.size())));
    if (!key) {
        cursor = data;
        key.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, long(der.size())));
    }
    if (key && EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        key.reset();
    return key;
}

QString keyTypeName(DkimKeyType type)
{
    return type == DkimKeyType::Rsa ? QStringLiteral("rsa") : QStringLiteral("ed25519");
}

DkimKeyType keyTypeFor(DkimAlgorithm algorithm)
{
    return algorithm == DkimAlgorithm::Ed25519Sha256 ? DkimKeyType::Ed25519 : DkimKeyType::Rsa;
}

} // namespace

QString checkOutcomeName(CheckOutcome outcome)
{
    switch (outcome) {
    case CheckOutcome::Pass:
        return QStringLiteral("pass");
    case CheckOutcome::Fail:
        return QStringLiteral("fail");
    case CheckOutcome::None:
        break;
    }
    return QStringLiteral("none");
}

BodyHashCheck checkBodyHash(QByteArrayView raw, qsizetype bodyOffset,
                            const DkimSignature &signature)
{
    BodyHashCheck check;
    const QByteArrayView body = raw.sliced(qMin(bodyOffset, raw.size()));
    const QByteArray canonical = canonicalBody(signature.bodyCanonicalization, body);
    check.canonicalLength = canonical.size();
    QByteArrayView hashed = canonical;
    if (signature.bodyLength) {
        if (*signature.bodyLength > canonical.size()) {
            check.problem = QStringLiteral("l=%1 is longer than the canonical body (%2 octets)")
                                .arg(*signature.bodyLength)
                                .arg(canonical.size());
            return check;
        }
        hashed = hashed.first(*signature.bodyLength);
    }
    const QByteArray hash = QCryptographicHash::hash(hashed, hashOf(signature.algorithm));
    check.outcome = hash == signature.bodyHash ? CheckOutcome::Pass : CheckOutcome::Fail;
    return check;
}

QByteArray unsignedSignatureField(QByteArrayView raw, const RawHeaderField &field,
                                  const TagList &tags, DkimCanonicalization canonicalization)
{
    QByteArray bytes = raw.sliced(field.offset, field.length).toByteArray();
    if (const Tag *b = tags.tag("b")) {
        const qsizetype valueStart = field.valueOffset() - field.offset;
        bytes.remove(valueStart + b->valueBegin, b->valueEnd - b->valueBegin);
    }
    QByteArray canonical = canonicalHeaderField(canonicalization, bytes);
    if (canonical.endsWith("\r\n"))
        canonical.chop(2);
    else if (canonical.endsWith('\n'))
        canonical.chop(1);
    return canonical;
}

QByteArray signedHeaderData(QByteArrayView raw, const RawHeaderBlock &header,
                            const RawHeaderField &signatureField, const DkimSignature &signature)
{
    // Instances of each name, bottom-most last; h= takes them from the bottom (RFC 6376 5.4.2).
    QHash<QByteArray, QList<const RawHeaderField *>> byName;
    for (const RawHeaderField &field : header.fields) {
        if (field.hasColon && &field != &signatureField)
            byName[field.name.toLower()].append(&field);
    }
    QByteArray data;
    for (const QByteArray &name : signature.signedHeaders) {
        QList<const RawHeaderField *> &instances = byName[name];
        if (instances.isEmpty())
            continue; // a name without an instance left signs its absence
        const RawHeaderField *field = instances.takeLast();
        data += canonicalHeaderField(signature.headerCanonicalization,
                                     raw.sliced(field->offset, field->length));
    }
    data += unsignedSignatureField(raw, signatureField, signature.tags,
                                   signature.headerCanonicalization);
    return data;
}

SignatureCheck verifySignedData(DkimAlgorithm algorithm, const DkimKeyRecord &key,
                                QByteArrayView data, QByteArrayView signature)
{
    SignatureCheck check;
    if (key.type != keyTypeFor(algorithm)) {
        check.problem = QStringLiteral("the key is k=%1, the signature needs %2")
                            .arg(keyTypeName(key.type), keyTypeName(keyTypeFor(algorithm)));
        return check;
    }
    const auto *keyBytes = reinterpret_cast<const unsigned char *>(key.publicKey.constData());
    Pkey pkey(key.type == DkimKeyType::Rsa
                  ? rsaKey(key.publicKey).release()
                  : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, keyBytes,
                                                size_t(key.publicKey.size())));
    if (!pkey) {
        check.problem =
            QStringLiteral("p= is not a valid %1 public key").arg(keyTypeName(key.type));
        return check;
    }
    if (key.type == DkimKeyType::Rsa && EVP_PKEY_get_bits(pkey.get()) < kMinimumRsaBits) {
        check.problem = QStringLiteral("the RSA key has %1 bits, fewer than 1024 (RFC 8301)")
                            .arg(EVP_PKEY_get_bits(pkey.get()));
        return check;
    }
    // RFC 8463 3: Ed25519 signs the SHA-256 hash of the data, not the data itself.
    const QByteArray prehashed = key.type == DkimKeyType::Ed25519
                                     ? QCryptographicHash::hash(data, QCryptographicHash::Sha256)
                                     : QByteArray();
    const QByteArrayView message =
        key.type == DkimKeyType::Ed25519 ? QByteArrayView(prehashed) : data;
    const EVP_MD *digest = key.type == DkimKeyType::Ed25519      ? nullptr
                           : algorithm == DkimAlgorithm::RsaSha1 ? EVP_sha1()
                                                                 : EVP_sha256();
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, pkey.get()) != 1) {
        check.problem = QStringLiteral("OpenSSL cannot verify with this key");
        return check;
    }
    const int verified = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
        size_t(signature.size()), reinterpret_cast<const unsigned char *>(message.data()),
        size_t(message.size()));
    check.outcome = verified == 1 ? CheckOutcome::Pass : CheckOutcome::Fail;
    return check;
}

KeyChoice chooseKey(const KeyRecordAnswer &answer, const QString &name)
{
    KeyChoice choice;
    switch (answer.status) {
    case KeyRecordAnswer::Status::TempError:
        choice.result = QStringLiteral("temperror");
        choice.problem = QStringLiteral("key lookup of %1 failed: %2").arg(name, answer.error);
        return choice;
    case KeyRecordAnswer::Status::NotFound:
        choice.result = QStringLiteral("permerror");
        choice.problem = QStringLiteral("no key record at %1").arg(name);
        return choice;
    case KeyRecordAnswer::Status::Found:
        break;
    }
    choice.result = QStringLiteral("permerror");
    for (const QByteArray &text : answer.records) {
        const DkimKeyRecordParse parse = parseDkimKeyRecord(text);
        if (parse.ok()) {
            if (parse.record.revoked) {
                choice.problem = QStringLiteral("the key at %1 is revoked (empty p=)").arg(name);
                return choice;
            }
            choice.key = parse.record;
            choice.result.clear();
            return choice;
        }
        if (choice.problem.isEmpty())
            choice.problem = QStringLiteral("%1: %2").arg(name, parse.problem);
    }
    if (choice.problem.isEmpty())
        choice.problem = QStringLiteral("no key record at %1").arg(name);
    return choice;
}

DkimVerification verifyDkimSignature(QByteArrayView raw, const RawHeaderBlock &header,
                                     const RawHeaderField &field, const KeyRecordAnswer &key,
                                     qint64 nowSecs)
{
    DkimVerification result;
    result.offset = field.offset;
    const DkimSignatureParse parse = parseDkimSignature(field.value);
    const DkimSignature &signature = parse.signature;
    result.domain = QString::fromUtf8(signature.domain);
    result.selector = QString::fromUtf8(signature.selector);
    result.algorithm = QString::fromUtf8(signature.algorithmName);
    result.canonicalization = QString::fromUtf8(signature.canonicalizationName);
    result.identity = QString::fromUtf8(signature.identity);
    if (!parse.ok()) {
        result.result = QStringLiteral("permerror");
        result.reason = parse.problems.join(QLatin1String("; "));
        return result;
    }

    QStringList notes;
    const BodyHashCheck body = checkBodyHash(raw, header.bodyOffset, signature);
    result.bodyHash = body.outcome;
    if (!body.problem.isEmpty()) {
        result.result = QStringLiteral("permerror");
        result.reason = body.problem;
        return result;
    }
    if (signature.bodyLength && *signature.bodyLength < body.canonicalLength)
        notes.append(QStringLiteral("l= signs %1 of %2 body octets: text can be appended unseen")
                         .arg(*signature.bodyLength)
                         .arg(body.canonicalLength));

    const KeyChoice choice = chooseKey(key, signature.keyName());
    if (!choice.key) {
        result.result = choice.result;
        result.reason = choice.problem;
        return result;
    }
    const DkimKeyRecord &record = *choice.key;
    const QString keyProblem =
        !record.hashes.isEmpty() && !record.hashes.contains(hashName(signature.algorithm))
            ? QStringLiteral("the key allows h=%1 only")
                  .arg(QString::fromUtf8(record.hashes.join(':')))
        : record.strictIdentity && !signature.identity.toLower().endsWith('@' + signature.domain)
            ? QStringLiteral("the key has t=s but i= is a subdomain of d=")
            : QString();
    if (!keyProblem.isEmpty()) {
        result.result = QStringLiteral("permerror");
        result.reason = keyProblem;
        return result;
    }
    const SignatureCheck check =
        verifySignedData(signature.algorithm, record,
                         signedHeaderData(raw, header, field, signature), signature.signature);
    if (!check.problem.isEmpty()) {
        result.result = QStringLiteral("permerror");
        result.reason = check.problem;
        return result;
    }
    result.signature = check.outcome;
    if (signature.algorithm == DkimAlgorithm::RsaSha1)
        notes.append(QStringLiteral("rsa-sha1 is weak and obsolete (RFC 8301)"));
    if (record.testing)
        notes.append(QStringLiteral("the key is in test mode (t=y)"));

    const bool bodyOk = result.bodyHash == CheckOutcome::Pass;
    const bool headersOk = result.signature == CheckOutcome::Pass;
    if (!bodyOk || !headersOk) {
        result.result = QStringLiteral("fail");
        notes.prepend(!bodyOk && !headersOk
                          ? QStringLiteral("body and headers changed (body hash and signature "
                                           "mismatch)")
                      : !bodyOk ? QStringLiteral("body changed (body hash mismatch)")
                                : QStringLiteral("headers changed (signature mismatch)"));
    } else if (signature.expiration && *signature.expiration < nowSecs) {
        result.result = QStringLiteral("neutral");
        notes.prepend(QStringLiteral("the signature expired at %1 (x=)")
                          .arg(QDateTime::fromSecsSinceEpoch(*signature.expiration, Qt::UTC)
                                   .toString(Qt::ISODate)));
    } else {
        result.result = QStringLiteral("pass");
    }
    result.reason = notes.join(QLatin1String("; "));
    return result;
}
