#include "WaitCommand.h"

#include "cli/HttpCall.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace {
QString addressText(const QJsonValue &address)
{
    const QJsonObject object = address.toObject();
    const QString name = object.value(QStringLiteral("Name")).toString();
    const QString mailbox = object.value(QStringLiteral("Address")).toString();
    return name.isEmpty() ? mailbox : QStringLiteral("%1 <%2>").arg(name, mailbox);
}

// One line per message: ID, From, Subject, tab-separated for cut and awk.
void printSummaries(const QJsonObject &list, QTextStream &out)
{
    for (const QJsonValue &item : list.value(QStringLiteral("messages")).toArray()) {
        const QJsonObject message = item.toObject();
        out << message.value(QStringLiteral("ID")).toString() << '\t'
            << addressText(message.value(QStringLiteral("From"))) << '\t'
            << message.value(QStringLiteral("Subject")).toString() << '\n';
    }
}
} // namespace

int runWaitCommand(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Wait until a running smtpeek holds enough matching messages."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("api"), QStringLiteral("The API to ask (default http://127.0.0.1:8025)."),
         QStringLiteral("url"), QStringLiteral("http://127.0.0.1:8025")},
        {QStringLiteral("query"), QStringLiteral("A search, as in the API (default: any message)."),
         QStringLiteral("search")},
        {QStringLiteral("count"), QStringLiteral("How many messages to wait for (default 1)."),
         QStringLiteral("n"), QStringLiteral("1")},
        {QStringLiteral("timeout"), QStringLiteral("Seconds to wait (default 30)."),
         QStringLiteral("seconds"), QStringLiteral("30")},
        {QStringLiteral("since"), QStringLiteral("Only messages after this ID."),
         QStringLiteral("id")},
        {QStringLiteral("json"), QStringLiteral("Print the API's JSON instead of one line each.")},
    });
    if (!parser.parse(arguments)) {
        err << "smtpeek wait: " << parser.errorText() << Qt::endl;
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "smtpeek wait: unexpected argument '" << parser.positionalArguments().first() << "'"
            << Qt::endl;
        return 2;
    }
    bool ok = false;
    const double seconds = parser.value(QStringLiteral("timeout")).toDouble(&ok);
    if (!ok || !(seconds >= 0 && seconds <= 3600)) {
        err << "smtpeek wait: --timeout takes 0 to 3600 seconds" << Qt::endl;
        return 2;
    }
    QUrlQuery query;
    for (const char *name : {"query", "count", "timeout", "since"}) {
        const QString key = QString::fromLatin1(name);
        if (parser.isSet(key) || key == u"count" || key == u"timeout")
            query.addQueryItem(key, QString::fromUtf8(QUrl::toPercentEncoding(parser.value(key))));
    }
    QUrl url(parser.value(QStringLiteral("api")));
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")) {
        err << "smtpeek wait: --api takes an http(s) URL" << Qt::endl;
        return 2;
    }
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) +
                QStringLiteral("/api/v1/wait"));
    url.setQuery(query);
    // The server answers at its timeout; allow for a slow machine on top.
    const HttpResult result = httpCall("GET", url, {}, static_cast<int>(seconds * 1000) + 30000);
    if (result.status == 0) {
        err << "smtpeek wait: " << url.toString(QUrl::RemoveQuery) << ": " << result.error
            << Qt::endl;
        return 3;
    }
    if (result.status != 200 && result.status != 408) {
        err << "smtpeek wait: " << result.status << ' ' << QString::fromUtf8(result.body).trimmed()
            << Qt::endl;
        return 2;
    }
    const QJsonObject list = QJsonDocument::fromJson(result.body).object();
    if (parser.isSet(QStringLiteral("json")))
        out << QString::fromUtf8(result.body) << '\n';
    else
        printSummaries(list, out);
    if (result.status == 408) {
        err << "smtpeek wait: timed out with "
            << list.value(QStringLiteral("messages_count")).toInteger() << " of "
            << parser.value(QStringLiteral("count")) << " messages" << Qt::endl;
        return 1;
    }
    return 0;
}
