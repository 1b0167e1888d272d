#include "TagRules.h"

#include "mime/Headline.h"
#include "records/Records.h"
#include "records/TagName.h"

#include <QFile>

namespace {
const QLatin1String kRouteArrow("<-");

// A tag read from a message rather than written by the user: kept only when it is a name.
void appendIfName(QStringList *tags, const QString &candidate)
{
    const QString name = candidate.trimmed();
    if (tag_name::problem(name).isEmpty())
        tags->append(name);
}

QString plusTag(const QByteArray &address)
{
    const qsizetype at = address.lastIndexOf('@');
    const QByteArray local = at < 0 ? address : address.left(at);
    const qsizetype plus = local.indexOf('+');
    return plus < 0 ? QString() : QString::fromUtf8(local.mid(plus + 1));
}

bool anyMatch(const QRegularExpression &pattern, const QStringList &values)
{
    return std::any_of(values.cbegin(), values.cend(), [&pattern](const QString &value) {
        return pattern.match(value).hasMatch();
    });
}

QStringList routeValues(const TagRules::Route &route, const MessageRecord &m)
{
    switch (route.field) {
    case TagRules::Route::Field::Recipient: {
        QStringList values;
        for (const QByteArray &rcpt : m.envelope.rcptTo)
            values.append(QString::fromUtf8(rcpt));
        return values;
    }
    case TagRules::Route::Field::Sender:
        return {QString::fromUtf8(m.envelope.mailFrom)};
    case TagRules::Route::Field::Client:
        return {m.peerAddress};
    case TagRules::Route::Field::AuthUser:
        return m.authUser.isEmpty() ? QStringList() : QStringList{m.authUser};
    case TagRules::Route::Field::Header:
        break;
    }
    return readHeaderValues(m.raw, route.header.constData());
}

std::optional<TagRules::Route> parseRoute(const QString &tag, const QString &spec, QString *error)
{
    const QString text = spec.trimmed();
    const qsizetype blank = text.indexOf(u' ');
    if (blank < 0) {
        *error = QStringLiteral("a routing rule needs a field and a pattern: TAG <- FIELD PATTERN");
        return std::nullopt;
    }
    const QString field = text.left(blank).toLower();
    const QString pattern = text.mid(blank + 1).trimmed();
    TagRules::Route route;
    route.tag = tag;
    static const QHash<QString, TagRules::Route::Field> fields = {
        {QStringLiteral("recipient"), TagRules::Route::Field::Recipient},
        {QStringLiteral("sender"), TagRules::Route::Field::Sender},
        {QStringLiteral("client"), TagRules::Route::Field::Client},
        {QStringLiteral("auth"), TagRules::Route::Field::AuthUser}};
    if (field.startsWith(QLatin1String("header:")) && field.size() > 7) {
        route.field = TagRules::Route::Field::Header;
        route.header = text.mid(7, blank - 7).toLatin1();
    } else if (fields.contains(field)) {
        route.field = fields.value(field);
    } else {
        *error = QStringLiteral("unknown routing field \"%1\" (recipient, sender, client, auth or"
                                " header:NAME)")
                     .arg(field);
        return std::nullopt;
    }
    if (pattern.size() >= 2 && pattern.startsWith(u'/') && pattern.endsWith(u'/')) {
        route.pattern = QRegularExpression(pattern.mid(1, pattern.size() - 2));
        if (!route.pattern.isValid()) {
            *error = QStringLiteral("bad regular expression %1: %2")
                         .arg(pattern, route.pattern.errorString());
            return std::nullopt;
        }
    } else {
        route.pattern = TagRules::globPattern(pattern);
    }
    return route;
}
} // namespace

QRegularExpression TagRules::globPattern(const QString &glob)
{
    QString regex;
    for (const QChar c : glob) {
        if (c == u'*')
            regex += QLatin1String(".*");
        else if (c == u'?')
            regex += u'.';
        else
            regex += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(regex),
                              QRegularExpression::CaseInsensitiveOption);
}

bool TagRules::addRule(const QString &line, QString *error)
{
    // A tag name holds neither '=' nor '<' (TagName.h): whichever comes first splits the line.
    const qsizetype equals = line.indexOf(u'=');
    const qsizetype arrow = line.indexOf(kRouteArrow);
    const bool isRoute = arrow >= 0 && (equals < 0 || arrow < equals);
    const qsizetype split = isRoute ? arrow : equals;
    if (split < 0) {
        *error =
            QStringLiteral("a tag rule is TAG=QUERY or TAG <- FIELD PATTERN: \"%1\"").arg(line);
        return false;
    }
    const QString tag = line.left(split).trimmed();
    if (const QString problem = tag_name::problem(tag); !problem.isEmpty()) {
        *error = QStringLiteral("%1: \"%2\"").arg(problem, tag);
        return false;
    }
    const QString rest = line.mid(split + (isRoute ? kRouteArrow.size() : 1));
    if (isRoute) {
        std::optional<Route> route = parseRoute(tag, rest, error);
        if (!route)
            return false;
        routes.append(*route);
        return true;
    }
    const MessageQuery query = MessageQuery::parse(rest);
    if (query.isEmpty()) {
        *error = QStringLiteral("the tag rule for %1 has no search query").arg(tag);
        return false;
    }
    queryRules.append({tag, query});
    return true;
}

bool TagRules::addFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read the tags file %1: %2").arg(path, file.errorString());
        return false;
    }
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        QString reason;
        if (!addRule(line, &reason)) {
            *error = QStringLiteral("%1 line %2: %3").arg(path).arg(number).arg(reason);
            return false;
        }
    }
    return true;
}

QStringList TagRules::tagsFor(const MessageRecord &message) const
{
    QStringList tags;
    for (const QString &header : readHeaderValues(message.raw, "X-Tags")) {
        for (const QString &name : header.split(u','))
            appendIfName(&tags, name);
    }
    if (plusAddressing) {
        for (const QByteArray &rcpt : message.envelope.rcptTo)
            appendIfName(&tags, plusTag(rcpt));
    }
    if (!queryRules.isEmpty()) {
        MessageSummary summary = message.summary();
        summary.tags = tags;
        for (const QueryRule &rule : queryRules) {
            if (rule.query.matches(summary))
                tags.append(rule.tag);
        }
    }
    for (const Route &route : routes) {
        if (anyMatch(route.pattern, routeValues(route, message)))
            tags.append(route.tag);
    }
    return tag_name::distinct(tags);
}
