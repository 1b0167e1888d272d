#include "ArcChain.h"

#include <QMap>

namespace {

constexpr int kMaxInstance = 50; // RFC 8617 4.2.1

struct ArcSetFields
{
    QList<const RawHeaderField *> seals;
    QList<const RawHeaderField *> signatures;
    QList<const RawHeaderField *> results;
};

// "i=2; mx.example.org; dkim=pass" -> 2, or 0 when there is no valid i= first.
int resultsInstance(QByteArrayView value, QByteArrayView *rest)
{
    const qsizetype semicolon = value.indexOf(';');
    const QByteArray first = withoutWhiteSpace(semicolon < 0 ? value : value.first(semicolon));
    *rest = semicolon < 0 ? QByteArrayView() : value.sliced(semicolon + 1);
    if (!first.startsWith("i="))
        return 0;
    const std::optional<qint64> n = decimalValue(QByteArrayView(first).sliced(2));
    return n && *n >= 1 && *n <= kMaxInstance ? int(*n) : 0;
}

int tagInstance(const RawHeaderField &field)
{
    const TagList tags = parseTagList(field.value);
    const Tag *i = tags.tag("i");
    const std::optional<qint64> n = i ? decimalValue(i->value) : std::nullopt;
    return n && *n >= 1 && *n <= kMaxInstance ? int(*n) : 0;
}

std::optional<DkimAlgorithm> sealAlgorithm(QByteArrayView name)
{
    if (name == "rsa-sha256")
        return DkimAlgorithm::RsaSha256;
    if (name == "ed25519-sha256")
        return DkimAlgorithm::Ed25519Sha256;
    return std::nullopt;
}

QString keyName(const Tag *selector, const Tag *domain)
{
    return selector && domain
               ? QString::fromUtf8(selector->value + "._domainkey." + domain->value).toLower()
               : QString();
}

class ChainChecker
{
public:
    ChainChecker(QByteArrayView raw, const RawHeaderBlock &header,
                 const QHash<QString, KeyRecordAnswer> &keys)
        : m_raw(raw), m_header(header), m_keys(keys)
    {}

    ArcChainReport check()
    {
        collect();
        if (m_sets.isEmpty() && m_unnumbered == 0) {
            m_report.result = QStringLiteral("none");
            return m_report;
        }
        const int highest = m_sets.isEmpty() ? 0 : m_sets.lastKey();
        for (int instance = 1; instance <= highest; ++instance)
            m_report.sets.append(structure(instance));
        if (m_unnumbered > 0)
            chainProblem(
                QStringLiteral("%1 ARC field(s) without a valid i= (1-50)").arg(m_unnumbered));
        if (m_chainProblems.isEmpty()) {
            for (ArcSetReport &set : m_report.sets)
                verify(set, set.instance == highest);
        }
        conclude(highest);
        return m_report;
    }

private:
    void collect()
    {
        for (const RawHeaderField &field : m_header.fields) {
            QByteArrayView rest;
            if (field.is("ARC-Seal"))
                add(tagInstance(field), &ArcSetFields::seals, field);
            else if (field.is("ARC-Message-Signature"))
                add(tagInstance(field), &ArcSetFields::signatures, field);
            else if (field.is("ARC-Authentication-Results"))
                add(resultsInstance(field.value, &rest), &ArcSetFields::results, field);
        }
    }

    void add(int instance, QList<const RawHeaderField *> ArcSetFields::*list,
             const RawHeaderField &field)
    {
        if (instance == 0)
            ++m_unnumbered;
        else
            (m_sets[instance].*list).append(&field);
    }

    void chainProblem(const QString &problem) { m_chainProblems.append(problem); }

    ArcSetReport structure(int instance)
    {
        ArcSetReport set;
        set.instance = instance;
        const auto found = m_sets.constFind(instance);
        if (found == m_sets.cend()) {
            chainProblem(QStringLiteral("instance %1 is missing").arg(instance));
            set.problems.append(QStringLiteral("no fields with i=%1").arg(instance));
            return set;
        }
        const ArcSetFields &fields = *found;
        const auto count = [&](const QList<const RawHeaderField *> &list, const char *name) {
            if (list.size() == 1)
                return;
            const QString problem =
                list.isEmpty()
                    ? QStringLiteral("no %1").arg(QLatin1String(name))
                    : QStringLiteral("%1 %2 fields").arg(list.size()).arg(QLatin1String(name));
            set.problems.append(problem);
            chainProblem(QStringLiteral("instance %1: %2").arg(instance).arg(problem));
        };
        count(fields.seals, "ARC-Seal");
        count(fields.signatures, "ARC-Message-Signature");
        count(fields.results, "ARC-Authentication-Results");
        if (!fields.seals.isEmpty()) {
            const TagList tags = parseTagList(fields.seals.first()->value);
            if (const Tag *cv = tags.tag("cv"))
                set.chainValidation = QString::fromLatin1(cv->value).toLower();
            if (const Tag *d = tags.tag("d"))
                set.domain = QString::fromUtf8(d->value).toLower();
            if (const Tag *s = tags.tag("s"))
                set.selector = QString::fromUtf8(s->value);
            const QString expected =
                instance == 1 ? QStringLiteral("none") : QStringLiteral("pass");
            if (set.chainValidation == u"fail") {
                m_sealerSawFailure = true;
            } else if (set.chainValidation != expected) {
                const QString problem =
                    QStringLiteral("cv=%1 where %2 belongs")
                        .arg(set.chainValidation.isEmpty() ? QStringLiteral("(none given)")
                                                           : set.chainValidation,
                             expected);
                set.problems.append(problem);
                chainProblem(QStringLiteral("instance %1: %2").arg(instance).arg(problem));
            }
        }
        if (!fields.results.isEmpty()) {
            QByteArrayView rest;
            resultsInstance(fields.results.first()->value, &rest);
            set.authenticationResults = QString::fromUtf8(unfold(rest)).simplified();
        }
        return set;
    }

    void verify(ArcSetReport &set, bool newest)
    {
        const ArcSetFields &fields = m_sets[set.instance];
        const RawHeaderField &signatureField = *fields.signatures.first();
        const DkimSignatureParse signature =
            parseDkimSignature(signatureField.value, DkimSignatureKind::ArcMessageSignature);
        if (!signature.ok()) {
            set.problems.append(QStringLiteral("ARC-Message-Signature: %1")
                                    .arg(signature.problems.join(QLatin1String("; "))));
        } else {
            const BodyHashCheck body =
                checkBodyHash(m_raw, m_header.bodyOffset, signature.signature);
            const std::optional<DkimKeyRecord> key =
                keyFor(set, signature.signature.keyName(), "ARC-Message-Signature");
            CheckOutcome headers = CheckOutcome::None;
            if (key) {
                const SignatureCheck check = verifySignedData(
                    signature.signature.algorithm, *key,
                    signedHeaderData(m_raw, m_header, signatureField, signature.signature),
                    signature.signature.signature);
                if (!check.problem.isEmpty())
                    set.problems.append(
                        QStringLiteral("ARC-Message-Signature: %1").arg(check.problem));
                headers = check.outcome;
            }
            set.messageSignature =
                body.outcome == CheckOutcome::Fail ? CheckOutcome::Fail : headers;
            if (body.outcome == CheckOutcome::Fail)
                set.problems.append(
                    QStringLiteral("ARC-Message-Signature: body changed (body hash mismatch)"));
        }
        if (newest && set.messageSignature != CheckOutcome::Pass)
            chainProblem(QStringLiteral("the newest ARC-Message-Signature (i=%1) does not verify")
                             .arg(set.instance));
        verifySeal(set);
        if (set.seal != CheckOutcome::Pass)
            chainProblem(
                QStringLiteral("the ARC-Seal of instance %1 does not verify").arg(set.instance));
    }

    void verifySeal(ArcSetReport &set)
    {
        const RawHeaderField &sealField = *m_sets[set.instance].seals.first();
        const TagList tags = parseTagList(sealField.value);
        const Tag *a = tags.tag("a");
        const Tag *b = tags.tag("b");
        const std::optional<DkimAlgorithm> algorithm = a ? sealAlgorithm(a->value) : std::nullopt;
        const std::optional<QByteArray> seal = b ? decodeBase64Value(b->value) : std::nullopt;
        if (!tags.error.isEmpty() || !algorithm || !seal || tags.tag("h")) {
            set.problems.append(QStringLiteral("ARC-Seal: %1")
                                    .arg(!tags.error.isEmpty() ? tags.error
                                         : !algorithm ? QStringLiteral("missing or unknown a=")
                                         : !seal      ? QStringLiteral("missing or non-base64 b=")
                                                      : QStringLiteral("h= is not allowed")));
            return;
        }
        const std::optional<DkimKeyRecord> key =
            keyFor(set, keyName(tags.tag("s"), tags.tag("d")), "ARC-Seal");
        if (!key)
            return;
        // RFC 8617 5.1.1: every set up to this one, in instance order, AAR, AMS, AS, relaxed;
        // this seal without its b= value and final CRLF.
        QByteArray data;
        for (int instance = 1; instance <= set.instance; ++instance) {
            const ArcSetFields &fields = m_sets[instance];
            for (const RawHeaderField *field : {fields.results.first(), fields.signatures.first()})
                data += canonicalHeaderField(DkimCanonicalization::Relaxed,
                                             m_raw.sliced(field->offset, field->length));
            if (instance < set.instance)
                data += canonicalHeaderField(
                    DkimCanonicalization::Relaxed,
                    m_raw.sliced(fields.seals.first()->offset, fields.seals.first()->length));
        }
        data += unsignedSignatureField(m_raw, sealField, tags, DkimCanonicalization::Relaxed);
        const SignatureCheck check = verifySignedData(*algorithm, *key, data, *seal);
        if (!check.problem.isEmpty())
            set.problems.append(QStringLiteral("ARC-Seal: %1").arg(check.problem));
        set.seal = check.outcome;
    }

    std::optional<DkimKeyRecord> keyFor(ArcSetReport &set, const QString &name, const char *field)
    {
        const KeyChoice choice = chooseKey(m_keys.value(name), name);
        if (!choice.key)
            set.problems.append(QStringLiteral("%1: %2").arg(QLatin1String(field), choice.problem));
        return choice.key;
    }

    void conclude(int highest)
    {
        if (m_sealerSawFailure) {
            m_report.result = QStringLiteral("fail");
            m_report.reason =
                QStringLiteral("a sealer recorded cv=fail: the chain was already broken");
        } else if (!m_chainProblems.isEmpty()) {
            m_report.result = QStringLiteral("fail");
            m_report.reason = m_chainProblems.join(QLatin1String("; "));
        } else {
            m_report.result = QStringLiteral("pass");
            m_report.reason =
                QStringLiteral("%1 instance(s), all seals and the newest message signature verify")
                    .arg(highest);
        }
    }

    QByteArrayView m_raw;
    const RawHeaderBlock &m_header;
    const QHash<QString, KeyRecordAnswer> &m_keys;
    QMap<int, ArcSetFields> m_sets;
    int m_unnumbered = 0;
    bool m_sealerSawFailure = false;
    QStringList m_chainProblems;
    ArcChainReport m_report;
};

} // namespace

QStringList arcKeyNames(const RawHeaderBlock &header)
{
    QStringList names;
    for (const RawHeaderField &field : header.fields) {
        if (!field.is("ARC-Seal") && !field.is("ARC-Message-Signature"))
            continue;
        const TagList tags = parseTagList(field.value);
        const QString name = keyName(tags.tag("s"), tags.tag("d"));
        if (!name.isEmpty() && !names.contains(name))
            names.append(name);
    }
    return names;
}

ArcChainReport checkArcChain(QByteArrayView raw, const RawHeaderBlock &header,
                             const QHash<QString, KeyRecordAnswer> &keys)
{
    return ChainChecker(raw, header, keys).check();
}
