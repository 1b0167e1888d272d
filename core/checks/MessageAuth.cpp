#include "MessageAuth.h"

#include "DmarcAlignment.h"
#include "HeaderSyntax.h"

#include <QDateTime>

namespace {
QList<const RawHeaderField *> dkimFields(const RawHeaderBlock &header)
{
    return header.all("DKIM-Signature");
}

QString fromDomain(const RawHeaderBlock &header)
{
    const RawHeaderField *from = header.field("From");
    if (!from)
        return {};
    QList<ParsedMailbox> mailboxes;
    checkAddresses(from->value, AddressForm::MailboxList, &mailboxes);
    return mailboxes.isEmpty() ? QString() : QString::fromUtf8(mailboxes.first().domain).toLower();
}
} // namespace

QStringList authKeyNames(const QByteArray &raw)
{
    const RawHeaderBlock header = scanHeaderBlock(raw);
    QStringList names;
    const QList<const RawHeaderField *> fields = dkimFields(header);
    for (qsizetype i = 0; i < fields.size() && i < kMaxDkimSignatures; ++i) {
        const DkimSignatureParse parse = parseDkimSignature(fields[i]->value);
        if (!parse.signature.selector.isEmpty() && !parse.signature.domain.isEmpty() &&
            !names.contains(parse.signature.keyName()))
            names.append(parse.signature.keyName());
    }
    for (const QString &name : arcKeyNames(header)) {
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

AuthReport authenticateMessage(const QByteArray &raw, const QHash<QString, KeyRecordAnswer> &keys,
                               qint64 nowSecs)
{
    AuthReport report;
    const RawHeaderBlock header = scanHeaderBlock(raw);
    report.dmarc.fromDomain = fromDomain(header);
    report.dmarc.organizationalDomain = organizationalDomain(report.dmarc.fromDomain);
    const QList<const RawHeaderField *> fields = dkimFields(header);
    for (qsizetype i = 0; i < fields.size(); ++i) {
        DkimReport entry;
        if (i >= kMaxDkimSignatures) {
            entry.verification.offset = fields[i]->offset;
            entry.verification.result = QStringLiteral("neutral");
            entry.verification.reason =
                QStringLiteral("not verified: more than %1 signatures").arg(kMaxDkimSignatures);
        } else {
            const DkimSignatureParse parse = parseDkimSignature(fields[i]->value);
            entry.verification = verifyDkimSignature(
                raw, header, *fields[i], keys.value(parse.signature.keyName()), nowSecs);
        }
        if (entry.verification.result == u"pass") {
            const DomainAlignment alignment =
                alignDomains(report.dmarc.fromDomain, entry.verification.domain);
            entry.aligned = alignment.relaxed;
            entry.alignedStrict = alignment.strict;
            report.dmarc.aligned = report.dmarc.aligned || alignment.relaxed;
            report.dmarc.alignedStrict = report.dmarc.alignedStrict || alignment.strict;
        }
        report.dkim.append(entry);
    }
    report.arc = checkArcChain(raw, header, keys);
    return report;
}

AuthReport authenticateMessage(const QByteArray &raw, const KeyRecordSource &source)
{
    const QStringList names = authKeyNames(raw);
    const QHash<QString, KeyRecordAnswer> keys = names.isEmpty()
                                                     ? QHash<QString, KeyRecordAnswer>()
                                                     : source.lookUp(names, kKeyLookupTimeoutMs);
    return authenticateMessage(raw, keys, QDateTime::currentSecsSinceEpoch());
}
