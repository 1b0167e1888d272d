#include "MessageQuery.h"

#include "records/TagName.h"

namespace {
// Splits on blanks, keeping "quoted phrases" (also after a prefix: subject:"a b") together.
QStringList tokens(const QString &text)
{
    QStringList out;
    QString current;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == u'"') {
            quoted = !quoted;
        } else if (c.isSpace() && !quoted) {
            if (!current.isEmpty())
                out.append(std::exchange(current, {}));
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        out.append(current);
    return out;
}

QString envelopeText(const MessageSummary &s, MessageQuery::Field field)
{
    if (field == MessageQuery::Field::From)
        return QString::fromUtf8(s.envelopeFrom);
    QStringList to;
    for (const QByteArray &rcpt : s.envelopeTo)
        to.append(QString::fromUtf8(rcpt));
    return to.join(u' ');
}

bool contains(const MessageSummary &s, const MessageQuery::Term &term)
{
    auto has = [&](const QString &haystack) {
        return haystack.contains(term.text, Qt::CaseInsensitive);
    };
    switch (term.field) {
    case MessageQuery::Field::From:
        return has(s.headline.from) || has(envelopeText(s, term.field));
    case MessageQuery::Field::To:
        return has(s.headline.to) || has(envelopeText(s, term.field));
    case MessageQuery::Field::Subject:
        return has(s.headline.subject);
    case MessageQuery::Field::Any:
        break;
    }
    return has(s.headline.from) || has(s.headline.to) || has(s.headline.subject) ||
           has(envelopeText(s, MessageQuery::Field::From)) ||
           has(envelopeText(s, MessageQuery::Field::To));
}
} // namespace

MessageQuery MessageQuery::parse(const QString &text)
{
    MessageQuery query;
    for (QString token : tokens(text)) {
        Term term;
        if (token.startsWith(u'-') || token.startsWith(u'!')) {
            term.negated = true;
            token.remove(0, 1);
        }
        const QString lower = token.toLower();
        if (lower == u"is:read" || lower == u"is:unread") {
            query.read = (lower == u"is:read") != term.negated;
            continue;
        }
        if (lower == u"has:attachment" || lower == u"has:attachments") {
            query.hasAttachments = !term.negated;
            continue;
        }
        if (lower == u"is:tagged") {
            query.tagged = !term.negated;
            continue;
        }
        if (lower.startsWith(u"tag:")) {
            if (token.size() > 4)
                query.tags.append({token.mid(4), term.negated});
            continue;
        }
        static const struct
        {
            const char16_t *prefix;
            Field field;
        } prefixes[] = {{u"from:", Field::From}, {u"to:", Field::To}, {u"subject:", Field::Subject}};
        for (const auto &p : prefixes) {
            const QString prefix = QString::fromUtf16(p.prefix);
            if (lower.startsWith(prefix)) {
                term.field = p.field;
                token.remove(0, prefix.size());
                break;
            }
        }
        term.text = token;
        if (!term.text.isEmpty())
            query.terms.append(term);
    }
    return query;
}

QString MessageQuery::syntaxProblem(const QString &text)
{
    if (text.count(u'"') % 2 != 0)
        return QStringLiteral("unclosed quote");
    for (QString token : tokens(text)) {
        if (token.startsWith(u'-') || token.startsWith(u'!'))
            token.remove(0, 1);
        if (token.isEmpty())
            return QStringLiteral("a lone '-' or '!'");
        const QString lower = token.toLower();
        for (const QString &prefix :
             {QStringLiteral("from:"), QStringLiteral("to:"), QStringLiteral("subject:"),
              QStringLiteral("is:"), QStringLiteral("has:")}) {
            if (lower == prefix)
                return QStringLiteral("'%1' needs a value").arg(prefix);
        }
    }
    return {};
}

bool MessageQuery::matches(const MessageSummary &summary) const
{
    if (read && summary.read != *read)
        return false;
    if (hasAttachments && summary.headline.hasAttachments != *hasAttachments)
        return false;
    if (tagged && summary.tags.isEmpty() == *tagged)
        return false;
    for (const TagTerm &tag : tags) {
        const bool has =
            std::any_of(summary.tags.cbegin(), summary.tags.cend(),
                        [&tag](const QString &t) { return tag_name::same(t, tag.name); });
        if (has == tag.negated)
            return false;
    }
    for (const Term &term : terms) {
        if (contains(summary, term) == term.negated)
            return false;
    }
    return true;
}
