#include "DkimKeyRecord.h"

#include "DkimSignature.h"
#include "TagList.h"

DkimKeyRecordParse parseDkimKeyRecord(QByteArrayView text)
{
    DkimKeyRecordParse parse;
    const auto fail = [&parse](const QString &problem) {
        parse.problem = problem;
        return parse;
    };
    const TagList tags = parseTagList(text);
    if (!tags.error.isEmpty())
        return fail(QStringLiteral("the key record is not a tag list: %1").arg(tags.error));
    if (const Tag *v = tags.tag("v")) {
        if (v->value != "DKIM1" || tags.tags.first().name != "v")
            return fail(QStringLiteral("the key record's v= must come first and be DKIM1"));
    }
    DkimKeyRecord &record = parse.record;
    if (const Tag *k = tags.tag("k")) {
        if (k->value == "rsa")
            record.type = DkimKeyType::Rsa;
        else if (k->value == "ed25519")
            record.type = DkimKeyType::Ed25519;
        else
            return fail(
                QStringLiteral("unknown key type k=%1").arg(QString::fromUtf8(k->value.left(20))));
    }
    if (const Tag *h = tags.tag("h"))
        record.hashes = withoutWhiteSpace(h->value).split(':');
    if (const Tag *s = tags.tag("s")) {
        const QList<QByteArray> services = withoutWhiteSpace(s->value).split(':');
        if (!services.contains("*") && !services.contains("email"))
            return fail(QStringLiteral("the key is not for email (s=%1)")
                            .arg(QString::fromUtf8(s->value.left(20))));
    }
    if (const Tag *t = tags.tag("t")) {
        const QList<QByteArray> flags = withoutWhiteSpace(t->value).split(':');
        record.testing = flags.contains("y");
        record.strictIdentity = flags.contains("s");
    }
    const Tag *p = tags.tag("p");
    if (!p)
        return fail(QStringLiteral("the key record has no p="));
    if (withoutWhiteSpace(p->value).isEmpty()) {
        record.revoked = true;
        return parse;
    }
    const std::optional<QByteArray> key = decodeBase64Value(p->value);
    if (!key)
        return fail(QStringLiteral("the key record's p= is not base64"));
    if (record.type == DkimKeyType::Ed25519 && key->size() != 32)
        return fail(QStringLiteral("an ed25519 key has 32 bytes, p= has %1").arg(key->size()));
    record.publicKey = *key;
    return parse;
}
