#include "McpSession.h"

#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace {
// JSON-RPC 2.0's error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

QJsonObject schema(const QJsonObject &properties, const QStringList &required = {})
{
    QJsonObject object{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"), properties},
                       {QStringLiteral("additionalProperties"), false}};
    if (!required.isEmpty())
        object.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
    return object;
}

QJsonObject property(const char *type, const char *description)
{
    return {{QStringLiteral("type"), QLatin1String(type)},
            {QStringLiteral("description"), QLatin1String(description)}};
}

QJsonObject integer(const char *description, int minimum, int maximum)
{
    QJsonObject p = property("integer", description);
    p.insert(QStringLiteral("minimum"), minimum);
    p.insert(QStringLiteral("maximum"), maximum);
    return p;
}

QJsonObject stringList(const char *description)
{
    QJsonObject p = property("array", description);
    p.insert(QStringLiteral("items"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    p.insert(QStringLiteral("minItems"), 1);
    return p;
}

QJsonObject tool(const char *name, const char *title, const char *description,
                 const QJsonObject &input)
{
    return {{QStringLiteral("name"), QLatin1String(name)},
            {QStringLiteral("title"), QLatin1String(title)},
            {QStringLiteral("description"), QLatin1String(description)},
            {QStringLiteral("inputSchema"), input}};
}

QByteArray reply(const QJsonValue &id, const QJsonObject &result)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                     {QStringLiteral("id"), id},
                                     {QStringLiteral("result"), result}})
        .toJson(QJsonDocument::Compact);
}

QByteArray error(const QJsonValue &id, int code, const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                     {QStringLiteral("id"), id},
                                     {QStringLiteral("error"),
                                      QJsonObject{{QStringLiteral("code"), code},
                                                  {QStringLiteral("message"), message}}}})
        .toJson(QJsonDocument::Compact);
}

QJsonObject toolText(const QString &text, bool isError)
{
    return {{QStringLiteral("content"),
             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                    {QStringLiteral("text"), text}}}},
            {QStringLiteral("isError"), isError}};
}

// The API's answer as the tool's result: JSON bodies also as structured content.
QJsonObject toolResult(const McpSession::ApiAnswer &answer, const QString &what)
{
    if (answer.status == 0)
        return toolText(QStringLiteral("smtpeek's API cannot be reached: %1")
                            .arg(QString::fromUtf8(answer.body)),
                        true);
    const QString text = QString::fromUtf8(answer.body);
    if (answer.status == 404)
        return toolText(QStringLiteral("%1: not found").arg(what), true);
    if (answer.status >= 400 && answer.status != 408)
        return toolText(QStringLiteral("%1: HTTP %2: %3").arg(what).arg(answer.status).arg(text),
                        true);
    QJsonObject result = toolText(text, false);
    const QJsonDocument json = QJsonDocument::fromJson(answer.body);
    if (json.isObject())
        result.insert(QStringLiteral("structuredContent"), json.object());
    else if (json.isArray())
        result.insert(QStringLiteral("structuredContent"),
                      QJsonObject{{QStringLiteral("items"), json.array()}});
    return result;
}

// A message or session ID: digits, or "latest" where allowed.
std::optional<QString> idArgument(const QJsonObject &arguments, const QString &key, bool latestOk)
{
    const QJsonValue value = arguments.value(key);
    const QString text = value.isDouble() ? QString::number(value.toInteger()) : value.toString();
    bool digits = !text.isEmpty() && text.size() <= 18;
    for (const QChar c : text)
        digits = digits && c.isDigit();
    if (digits || (latestOk && text == u"latest"))
        return text;
    return std::nullopt;
}

QString pageQuery(const QJsonObject &arguments, QUrlQuery query = {})
{
    for (const char *key : {"start", "limit"}) {
        const QJsonValue value = arguments.value(QLatin1String(key));
        if (value.isDouble())
            query.addQueryItem(QLatin1String(key), QString::number(value.toInteger()));
    }
    return query.isEmpty() ? QString() : u'?' + query.toString(QUrl::FullyEncoded);
}

QJsonArray idArray(const QJsonValue &ids)
{
    QJsonArray out;
    for (const QJsonValue &id : ids.toArray())
        out.append(id.isDouble() ? QString::number(id.toInteger()) : id.toString());
    return out;
}
} // namespace

QJsonArray McpSession::tools()
{
    const QJsonObject start = integer("Offset into the list, newest first", 0, 1000000000);
    const QJsonObject limit = integer("How many (default 50)", 1, 1000);
    const QJsonObject query =
        property("string", "A search in Mailpit's syntax, e.g. from:alice subject:\"weekly "
                           "report\" is:unread has:attachment");
    const QJsonObject id = property("string", "A message ID, or \"latest\"");
    const QJsonObject ids = stringList("Message IDs");
    QJsonObject format = property("string", "decoded (headers, text, HTML, attachments as "
                                            "JSON) or raw (the source, byte-exact)");
    format.insert(QStringLiteral("enum"),
                  QJsonArray{QStringLiteral("decoded"), QStringLiteral("raw")});
    QJsonObject timeout = property("number", "Seconds to wait (default 30)");
    timeout.insert(QStringLiteral("minimum"), 0);
    timeout.insert(QStringLiteral("maximum"), 3600);
    return {
        tool("list_messages", "List messages",
             "The captured messages, newest first: summaries "
             "(ID, From, To, Subject, Created, Snippet).",
             schema({{QStringLiteral("start"), start}, {QStringLiteral("limit"), limit}})),
        tool("search_messages", "Search messages",
             "The messages that match a search, newest "
             "first.",
             schema({{QStringLiteral("query"), query},
                     {QStringLiteral("start"), start},
                     {QStringLiteral("limit"), limit}},
                    {QStringLiteral("query")})),
        tool("read_message", "Read a message", "One message, decoded or as its raw source.",
             schema({{QStringLiteral("id"), id}, {QStringLiteral("format"), format}},
                    {QStringLiteral("id")})),
        tool(
            "wait_for_messages", "Wait for messages",
            "Block until at least count messages (newer than since) match the query, or the "
            "timeout passes; returns the matches.",
            schema({{QStringLiteral("query"), query},
                    {QStringLiteral("count"), integer("How many to wait for (default 1)", 1, 1000)},
                    {QStringLiteral("timeout"), timeout},
                    {QStringLiteral("since"), property("string", "Only messages after this ID")}})),
        tool("tag_messages", "Tag messages",
             "Set the tags of messages (Mailpit's PUT "
             "/api/v1/tags); an empty list removes them.",
             schema({{QStringLiteral("ids"), ids},
                     {QStringLiteral("tags"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                  {QStringLiteral("items"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}},
                                  {QStringLiteral("description"), QStringLiteral("Tag names")}}}},
                    {QStringLiteral("ids"), QStringLiteral("tags")})),
        tool("delete_messages", "Delete messages", "Delete the messages with these IDs.",
             schema({{QStringLiteral("ids"), ids}}, {QStringLiteral("ids")})),
        tool("read_session_transcript", "Read an SMTP session's transcript",
             "The session (client, HELO, TLS, AUTH, how it ended) and every line of its SMTP "
             "conversation. A message's SessionID names its session.",
             schema({{QStringLiteral("session_id"), property("string", "A session ID")}},
                    {QStringLiteral("session_id")})),
    };
}

std::optional<QByteArray> McpSession::handle(const QByteArray &line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return error(QJsonValue(QJsonValue::Null), kParseError, parseError.errorString());
    const QJsonObject message = document.object();
    const QJsonValue id = message.value(QStringLiteral("id"));
    const QString method = message.value(QStringLiteral("method")).toString();
    const bool wellFormed = document.isObject() &&
                            message.value(QStringLiteral("jsonrpc")).toString() == u"2.0" &&
                            !method.isEmpty();
    if (!wellFormed)
        return error(id.isUndefined() ? QJsonValue(QJsonValue::Null) : id, kInvalidRequest,
                     QStringLiteral("not JSON-RPC 2.0"));
    if (id.isUndefined())
        return std::nullopt; // a notification, such as notifications/initialized
    const QJsonObject params = message.value(QStringLiteral("params")).toObject();
    if (method == u"initialize") {
        return reply(id,
                     {{QStringLiteral("protocolVersion"), QLatin1String(kProtocolVersion)},
                      {QStringLiteral("capabilities"),
                       QJsonObject{{QStringLiteral("tools"),
                                    QJsonObject{{QStringLiteral("listChanged"), false}}}}},
                      {QStringLiteral("serverInfo"),
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("smtpeek")},
                                   {QStringLiteral("version"), QStringLiteral(SMTPEEK_VERSION)}}},
                      {QStringLiteral("instructions"),
                       QStringLiteral("Mail captured by smtpeek, a local SMTP capture server: "
                                      "search it, read it, wait for new mail.")}});
    }
    if (method == u"ping")
        return reply(id, {});
    if (method == u"tools/list")
        return reply(id, {{QStringLiteral("tools"), tools()}});
    if (method == u"tools/call") {
        const QString name = params.value(QStringLiteral("name")).toString();
        const QJsonValue arguments = params.value(QStringLiteral("arguments"));
        if (!arguments.isUndefined() && !arguments.isObject())
            return error(id, kInvalidParams, QStringLiteral("arguments must be an object"));
        bool known = false;
        for (const QJsonValue &t : tools())
            known = known || t.toObject().value(QStringLiteral("name")) == name;
        if (!known)
            return error(id, kInvalidParams, QStringLiteral("unknown tool: %1").arg(name));
        return reply(id, callTool(name, arguments.toObject()));
    }
    return error(id, kMethodNotFound, QStringLiteral("method not found: %1").arg(method));
}

QJsonObject McpSession::callTool(const QString &name, const QJsonObject &arguments)
{
    const auto get = [this](const QString &path) { return m_call("GET", path, {}); };
    if (name == u"list_messages")
        return toolResult(get(QStringLiteral("/api/v1/messages") + pageQuery(arguments)), name);
    if (name == u"search_messages") {
        const QString query = arguments.value(QStringLiteral("query")).toString().trimmed();
        if (query.isEmpty())
            return toolText(QStringLiteral("query: missing"), true);
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("query"), QString::fromUtf8(QUrl::toPercentEncoding(query)));
        return toolResult(get(QStringLiteral("/api/v1/search") + pageQuery(arguments, q)), name);
    }
    if (name == u"read_message") {
        const std::optional<QString> id = idArgument(arguments, QStringLiteral("id"), true);
        if (!id)
            return toolText(QStringLiteral("id: a message ID or \"latest\""), true);
        const QString format = arguments.value(QStringLiteral("format")).toString();
        if (!format.isEmpty() && format != u"decoded" && format != u"raw")
            return toolText(QStringLiteral("format: decoded or raw"), true);
        return toolResult(get(QStringLiteral("/api/v1/message/%1%2")
                                  .arg(*id, format == u"raw" ? QStringLiteral("/raw") : QString())),
                          QStringLiteral("message %1").arg(*id));
    }
    if (name == u"wait_for_messages") {
        QUrlQuery q;
        if (const QString query = arguments.value(QStringLiteral("query")).toString();
            !query.isEmpty())
            q.addQueryItem(QStringLiteral("query"),
                           QString::fromUtf8(QUrl::toPercentEncoding(query)));
        for (const char *key : {"count", "timeout", "since"}) {
            const QJsonValue value = arguments.value(QLatin1String(key));
            if (value.isDouble())
                q.addQueryItem(QLatin1String(key), QString::number(value.toDouble()));
            else if (value.isString())
                q.addQueryItem(QLatin1String(key), value.toString());
        }
        return toolResult(get(QStringLiteral("/api/v1/wait?") + q.toString(QUrl::FullyEncoded)),
                          name);
    }
    if (name == u"tag_messages" || name == u"delete_messages") {
        const QJsonValue ids = arguments.value(QStringLiteral("ids"));
        if (!ids.isArray() || ids.toArray().isEmpty())
            return toolText(QStringLiteral("ids: a list of message IDs"), true);
        QJsonObject body{{QStringLiteral("IDs"), idArray(ids)}};
        if (name == u"delete_messages")
            return toolResult(m_call("DELETE", QStringLiteral("/api/v1/messages"),
                                     QJsonDocument(body).toJson(QJsonDocument::Compact)),
                              name);
        const QJsonValue tags = arguments.value(QStringLiteral("tags"));
        if (!tags.isArray())
            return toolText(QStringLiteral("tags: a list of tag names"), true);
        body.insert(QStringLiteral("Tags"), tags);
        return toolResult(m_call("PUT", QStringLiteral("/api/v1/tags"),
                                 QJsonDocument(body).toJson(QJsonDocument::Compact)),
                          QStringLiteral("PUT /api/v1/tags"));
    }
    const std::optional<QString> id = idArgument(arguments, QStringLiteral("session_id"), false);
    if (!id)
        return toolText(QStringLiteral("session_id: a session ID"), true);
    const ApiAnswer session = get(QStringLiteral("/api/v1/session/%1").arg(*id));
    if (session.status != 200)
        return toolResult(session, QStringLiteral("session %1").arg(*id));
    const ApiAnswer transcript = get(QStringLiteral("/api/v1/session/%1/transcript").arg(*id));
    if (transcript.status != 200)
        return toolResult(transcript, QStringLiteral("session %1").arg(*id));
    QJsonObject combined = QJsonDocument::fromJson(session.body).object();
    combined.insert(QStringLiteral("Transcript"), QJsonDocument::fromJson(transcript.body).array());
    const QByteArray json = QJsonDocument(combined).toJson(QJsonDocument::Compact);
    return toolResult({200, json}, name);
}
