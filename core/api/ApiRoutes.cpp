#include "ApiRoutes.h"

#include "CheckJson.h"
#include "MessageJson.h"
#include "MessageWaits.h"
#include "SessionJson.h"

#include "checks/DnsKeyRecordSource.h"
#include "mime/ExportFileName.h"
#include "server/SmtpService.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

#ifdef Q_OS_LINUX
#include <unistd.h>
#endif

namespace {
qint64 numberParam(const ApiRequest &request, const QString &key, qint64 fallback)
{
    bool ok = false;
    const qint64 value = request.queryValue(key).toLongLong(&ok);
    return ok ? value : fallback;
}

qint64 startParam(const ApiRequest &request)
{
    return qMax<qint64>(0, numberParam(request, QStringLiteral("start"), 0));
}

qint64 limitParam(const ApiRequest &request)
{
    const qint64 limit = numberParam(request, QStringLiteral("limit"), ApiRoutes::kDefaultPageSize);
    return limit <= 0 ? ApiRoutes::kDefaultPageSize : qMin(limit, ApiRoutes::kMaxPageSize);
}

// The "IDs" member: strings (as Mailpit sends them) or numbers.
std::optional<QList<qint64>> idsMember(const QJsonObject &body, ApiResponse *error)
{
    const QJsonValue value = body.value(QStringLiteral("IDs"));
    if (value.isUndefined() || value.isNull())
        return QList<qint64>();
    if (!value.isArray()) {
        *error = ApiResponse::error(400, QStringLiteral("IDs must be an array of message IDs"));
        return std::nullopt;
    }
    QList<qint64> ids;
    for (const QJsonValue &item : value.toArray()) {
        const QString text = item.isDouble() ? QString::number(item.toInteger()) : item.toString();
        const std::optional<qint64> id = ApiRoutes::parseId(text);
        if (!id) {
            *error =
                ApiResponse::error(400, QStringLiteral("invalid message ID: %1")
                                            .arg(item.isString() ? text : QStringLiteral("?")));
            return std::nullopt;
        }
        ids.append(*id);
    }
    return ids;
}

// Parts whose content a browser would run in the API's origin are served as downloads.
bool isActiveContent(const QString &mimeType)
{
    static const QStringList active = {QStringLiteral("text/html"),
                                       QStringLiteral("text/xml"),
                                       QStringLiteral("application/xhtml+xml"),
                                       QStringLiteral("image/svg+xml"),
                                       QStringLiteral("application/xml"),
                                       QStringLiteral("text/xsl"),
                                       QStringLiteral("text/javascript"),
                                       QStringLiteral("application/javascript")};
    return active.contains(mimeType);
}

QByteArray contentDisposition(const QByteArray &kind, const QString &fileName)
{
    QString ascii = fileName;
    for (QChar &c : ascii) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == u'"' || c == u'\\')
            c = u'_';
    }
    return kind + "; filename=\"" + ascii.toLatin1() + "\"; filename*=UTF-8''" +
           QUrl::toPercentEncoding(fileName);
}

// Linux only; elsewhere /api/v1/info reports 0, as it does when /proc cannot be read.
qint64 residentBytes()
{
#ifndef Q_OS_LINUX
    return 0;
#else
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : 0;
#endif
}

// The header block of a raw message, for endpoints that need nothing else.
QByteArray headerBlock(const QByteArray &raw)
{
    const qsizetype crlf = raw.indexOf("\r\n\r\n");
    const qsizetype lf = raw.indexOf("\n\n");
    qsizetype end = -1;
    if (crlf >= 0 && (lf < 0 || crlf < lf))
        end = crlf + 4;
    else if (lf >= 0)
        end = lf + 2;
    return end < 0 ? raw : raw.left(end);
}
} // namespace

ApiRoutes::ApiRoutes(MessageStore *store, SummaryFieldsCache *fields, const ApiRuntimeStats *stats)
    : m_store(store), m_fields(fields), m_stats(stats)
{
    addMailpitRoutes();
    addSessionRoutes();
    addRelayRoutes();
    addCheckRoutes();
    addRuleRoutes();
    addTagRoutes();
    addAutomationRoutes();
}

ApiRoutes::~ApiRoutes() = default;

std::optional<qint64> ApiRoutes::parseId(const QString &text)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,18}$"));
    if (!digits.match(text).hasMatch())
        return std::nullopt;
    return text.toLongLong();
}

std::optional<QList<qint64>> ApiRoutes::idsOf(const QJsonObject &body, ApiResponse *error)
{
    return idsMember(body, error);
}

bool ApiRoutes::isPartPath(const QString &text)
{
    static const QRegularExpression path(QStringLiteral("^[0-9]{1,6}(\\.[0-9]{1,6}){0,63}$"));
    return path.match(text).hasMatch();
}

void ApiRoutes::addMailpitRoutes()
{
    using Args = const QStringList &;
    m_router.add("GET", QStringLiteral("/api/v1/info"),
                 [this](const ApiRequest &, Args) { return info(); });
    m_router.add("GET", QStringLiteral("/api/v1/messages"),
                 [this](const ApiRequest &r, Args) { return listMessages(r); });
    m_router.add("PUT", QStringLiteral("/api/v1/messages"),
                 [this](const ApiRequest &r, Args) { return setRead(r); });
    m_router.add("DELETE", QStringLiteral("/api/v1/messages"),
                 [this](const ApiRequest &r, Args) { return deleteMessages(r); });
    m_router.add("GET", QStringLiteral("/api/v1/search"),
                 [this](const ApiRequest &r, Args) { return search(r); });
    m_router.add("DELETE", QStringLiteral("/api/v1/search"),
                 [this](const ApiRequest &r, Args) { return deleteSearch(r); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}"),
                 [this](const ApiRequest &r, Args a) { return message(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/raw"),
                 [this](const ApiRequest &r, Args a) { return raw(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/headers"),
                 [this](const ApiRequest &r, Args a) { return headers(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/part/{}"),
                 [this](const ApiRequest &r, Args a) { return part(r, a[0], a[1]); });
    // The upgrade itself never reaches the router; a plain GET does.
    m_router.add("GET", QStringLiteral("/api/events"), [](const ApiRequest &, Args) {
        return ApiResponse::error(400, QStringLiteral("expected a WebSocket upgrade"));
    });
    m_router.add("GET", QStringLiteral("/readyz"),
                 [this](const ApiRequest &, Args) { return ready(); });
    m_router.add("GET", QStringLiteral("/livez"),
                 [](const ApiRequest &, Args) { return ApiResponse::text({}); });
}

void ApiRoutes::addSessionRoutes()
{
    using Args = const QStringList &;
    m_router.add("GET", QStringLiteral("/api/v1/sessions"),
                 [this](const ApiRequest &r, Args) { return listSessions(r); });
    m_router.add("GET", QStringLiteral("/api/v1/session/{}"),
                 [this](const ApiRequest &, Args a) { return session(a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/session/{}/transcript"),
                 [this](const ApiRequest &r, Args a) { return transcript(r, a[0]); });
}

// smtpeek's own checks of one message, beside Mailpit's message routes.
void ApiRoutes::addCheckRoutes()
{
    using Args = const QStringList &;
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/lint"),
                 [this](const ApiRequest &r, Args a) { return lint(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/auth"),
                 [this](const ApiRequest &r, Args a) { return auth(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/html-check"),
                 [this](const ApiRequest &r, Args a) { return htmlCheck(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/link-check"),
                 [this](const ApiRequest &r, Args a) { return linkCheck(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/sa-check"),
                 [this](const ApiRequest &r, Args a) { return spamCheck(r, a[0]); });
}

void ApiRoutes::setSpamAssassin(const QString &address)
{
    m_spamAssassinAddress = address;
    m_spamCheck.reset();
}

void ApiRoutes::setDkimKeysFile(const QString &path)
{
    m_dkimKeysFile = path;
    m_dkimKeys.reset();
}

ApiResponse ApiRoutes::info() const
{
    qint64 databaseSize = 0;
    if (!m_databaseFile.isEmpty()) {
        databaseSize = QFileInfo(m_databaseFile).size() +
                       QFileInfo(m_databaseFile + QStringLiteral("-wal")).size();
    }
    QString smtp;
    if (m_smtp && m_smtp->isListening()) {
        const QHostAddress address = m_smtp->address();
        smtp =
            (address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                 : address.toString()) +
            u':' + QString::number(m_smtp->port());
    }
    const QJsonObject runtime{
        {QStringLiteral("Uptime"),
         (QDateTime::currentMSecsSinceEpoch() - m_stats->startedMs) / 1000},
        {QStringLiteral("Memory"), residentBytes()},
        {QStringLiteral("MessagesDeleted"), m_stats->deleted},
        {QStringLiteral("SMTPAccepted"), m_stats->accepted.load()},
        {QStringLiteral("SMTPAcceptedSize"), m_stats->acceptedBytes.load()},
        {QStringLiteral("SMTPRejected"), 0},
        {QStringLiteral("SMTPIgnored"), 0},
    };
    return ApiResponse::json(QJsonDocument(QJsonObject{
        {QStringLiteral("Version"), QStringLiteral(SMTPEEK_VERSION)},
        {QStringLiteral("LatestVersion"), QString()},
        {QStringLiteral("Database"), m_databaseFile},
        {QStringLiteral("DatabaseSize"), databaseSize},
        {QStringLiteral("Messages"), m_store->messageCount()},
        {QStringLiteral("Unread"), m_store->unreadCount()},
        {QStringLiteral("Tags"), tagCountsJson()},
        {QStringLiteral("RuntimeStats"), runtime},
        {QStringLiteral("SMTPListen"), smtp},
        {QStringLiteral("POP3Listen"), m_pop3Address ? m_pop3Address() : QString()},
    }));
}

QJsonArray ApiRoutes::summariesJson(const QList<MessageSummary> &summaries) const
{
    QJsonArray array;
    for (const MessageSummary &summary : summaries)
        array.append(summaryJson(summary, m_fields->fields(summary)));
    return array;
}

ApiResponse ApiRoutes::listMessages(const ApiRequest &request) const
{
    MessageListCounts counts;
    counts.start = startParam(request);
    counts.total = counts.matching = m_store->messageCount();
    counts.unread = counts.matchingUnread = m_store->unreadCount();
    counts.tags = tagNames();
    const QList<MessageSummary> page =
        m_store->messages(counts.start, limitParam(request), MessageStore::Order::NewestFirst);
    return ApiResponse::json(QJsonDocument(messageListJson(counts, summariesJson(page))));
}

ApiResponse ApiRoutes::search(const ApiRequest &request) const
{
    const QString text = request.queryValue(QStringLiteral("query")).trimmed();
    if (text.isEmpty())
        return ApiResponse::error(400, QStringLiteral("Error: no search query"));
    const MessageQuery query = MessageQuery::parse(text);
    MessageListCounts counts;
    counts.start = startParam(request);
    const MessageStore::SearchPage found =
        m_store->search(query, counts.start, limitParam(request));
    counts.total = found.total;
    counts.unread = found.unread;
    counts.matching = found.matching;
    counts.matchingUnread = found.matchingUnread;
    counts.tags = tagNames();
    return ApiResponse::json(QJsonDocument(messageListJson(counts, summariesJson(found.messages))));
}

QList<qint64> ApiRoutes::matchingIds(const QString &query) const
{
    return m_store->matchingIds(MessageQuery::parse(query), -1);
}

ApiResponse ApiRoutes::setRead(const ApiRequest &request) const
{
    ApiResponse error;
    const std::optional<QJsonObject> body = objectBody(request, &error);
    if (!body)
        return error;
    const std::optional<QList<qint64>> ids = idsMember(*body, &error);
    if (!ids)
        return error;
    const bool read = body->value(QStringLiteral("Read")).toBool(false);
    const QString search = body->value(QStringLiteral("Search")).toString().trimmed();
    if (!ids->isEmpty() && !search.isEmpty()) {
        return ApiResponse::error(
            400, QStringLiteral("You may specify either IDs or a search query, not both"));
    }
    QList<qint64> targets = *ids;
    if (!search.isEmpty()) {
        targets = matchingIds(search);
    } else if (targets.isEmpty()) {
        for (const MessageSummary &summary :
             m_store->messages(0, m_store->messageCount(), MessageStore::Order::NewestFirst)) {
            if (summary.read != read)
                targets.append(summary.id);
        }
    }
    if (!targets.isEmpty())
        m_store->setRead(targets, read);
    return ApiResponse::ok();
}

ApiResponse ApiRoutes::deleteMessages(const ApiRequest &request) const
{
    // Mailpit deletes everything when the body is missing or names no IDs. A body that is not
    // JSON is refused instead: a typo must not empty the mailbox.
    QList<qint64> ids;
    if (!request.body.trimmed().isEmpty()) {
        ApiResponse error;
        const std::optional<QJsonObject> body = objectBody(request, &error);
        if (!body)
            return error;
        const std::optional<QList<qint64>> listed = idsMember(*body, &error);
        if (!listed)
            return error;
        ids = *listed;
    }
    if (ids.isEmpty())
        m_store->clear();
    else
        m_store->removeMessages(ids);
    return ApiResponse::ok();
}

ApiResponse ApiRoutes::deleteSearch(const ApiRequest &request) const
{
    const QString text = request.queryValue(QStringLiteral("query")).trimmed();
    if (text.isEmpty())
        return ApiResponse::error(400, QStringLiteral("Error: no search query"));
    const QList<qint64> ids = matchingIds(text);
    if (!ids.isEmpty())
        m_store->removeMessages(ids);
    return ApiResponse::ok();
}

std::optional<qint64> ApiRoutes::resolveMessageId(const ApiRequest &request,
                                                  const QString &id) const
{
    if (id != u"latest")
        return parseId(id);
    const QString query = request.queryValue(QStringLiteral("query")).trimmed();
    // An empty query matches every message.
    const QList<qint64> newest = m_store->matchingIds(MessageQuery::parse(query), 1);
    if (newest.isEmpty())
        return std::nullopt;
    return newest.first();
}

ApiResponse ApiRoutes::message(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<MessageRecord> record =
        resolved ? m_store->message(*resolved) : std::nullopt;
    if (!record)
        return ApiResponse::notFound();
    const ApiResponse response =
        ApiResponse::json(QJsonDocument(messageJson(*record, decodeMessage(record->raw))));
    if (!record->read)
        m_store->setRead({record->id}, true);
    return response;
}

ApiResponse ApiRoutes::raw(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    ApiResponse response = ApiResponse::text(*bytes);
    if (request.queryValue(QStringLiteral("dl")) == u"1") {
        response.headers.append(
            {"Content-Disposition", contentDisposition("attachment", apiId(*resolved) + ".eml")});
    }
    return response;
}

ApiResponse ApiRoutes::headers(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    return ApiResponse::json(QJsonDocument(headersJson(decodeMessage(headerBlock(*bytes)))));
}

ApiResponse ApiRoutes::part(const ApiRequest &request, const QString &id, const QString &path) const
{
    if (!isPartPath(path))
        return ApiResponse::notFound();
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    const DecodedMessage decoded = decodeMessage(*bytes);
    const MimePart *found = decoded.part(path);
    if (!found || found->isMultipart())
        return ApiResponse::notFound();

    const bool active = isActiveContent(found->contentType);
    QByteArray contentType =
        active ? QByteArray("application/octet-stream") : found->contentType.toLatin1();
    if (!active && found->contentType.startsWith(QLatin1String("text/")) &&
        !found->charset.isEmpty())
        contentType += "; charset=" + found->charset.toLatin1();
    const QString fileName =
        safeExportFileName(found->fileName.isEmpty() ? found->contentId : found->fileName,
                           found->contentType, found->path);
    ApiResponse response{200, contentType, decodePartContent(*bytes, path), {}, {}};
    response.headers.append(
        {"Content-Disposition",
         contentDisposition(active || found->isAttachment ? "attachment" : "inline", fileName)});
    return response;
}

ApiResponse ApiRoutes::lint(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<MessageRecord> record =
        resolved ? m_store->message(*resolved) : std::nullopt;
    if (!record)
        return ApiResponse::notFound();
    return ApiResponse::json(QJsonDocument(lintJson(*record, decodeMessage(record->raw))));
}

// Blocks this thread while keys are looked up in DNS (at most kKeyLookupTimeoutMs).
ApiResponse ApiRoutes::auth(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    if (!m_dkimKeys) {
        if (m_dkimKeysFile.isEmpty())
            m_dkimKeys = std::make_unique<DnsKeyRecordSource>();
        else
            m_dkimKeys = std::make_unique<KeyFileSource>(m_dkimKeysFile);
    }
    return ApiResponse::json(QJsonDocument(authJson(authenticateMessage(*bytes, *m_dkimKeys))));
}

ApiResponse ApiRoutes::htmlCheck(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    const QString html = decodeMessage(*bytes).htmlBody;
    if (html.isEmpty())
        return ApiResponse::error(400, QStringLiteral("message does not contain HTML"));
    return ApiResponse::json(QJsonDocument(htmlCheckJson(checkHtmlCompatibility(html.toUtf8()))));
}

// Answers later: the links are checked in this thread's event loop while it serves other
// requests. ?follow=true follows redirects (Mailpit's parameter); ?timeout=SECONDS (1-60,
// smtpeek's) shortens the wait per request.
ApiResponse ApiRoutes::linkCheck(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    LinkCheckSettings settings;
    settings.followRedirects = request.queryValue(QStringLiteral("follow")) == u"true";
    if (const QString timeout = request.queryValue(QStringLiteral("timeout")); !timeout.isEmpty()) {
        bool ok = false;
        const double seconds = timeout.toDouble(&ok);
        if (!ok || seconds < 0.1 || seconds > 60)
            return ApiResponse::error(400, QStringLiteral("timeout takes 0.1 to 60 seconds"));
        settings.timeoutMs = static_cast<int>(seconds * 1000);
    }
    auto *pending = new ApiPendingResponse;
    auto *checker = new LinkChecker(findMessageLinks(decodeMessage(*bytes)), settings, pending);
    QObject::connect(checker, &LinkChecker::finished, pending, [pending](const LinkCheckReport &r) {
        pending->finish(ApiResponse::json(QJsonDocument(linkCheckJson(r))));
    });
    checker->start();
    return ApiResponse::later(pending);
}

// Answers later, when spamd has (or a timeout); without --spamassassin, at once with an Error.
ApiResponse ApiRoutes::spamCheck(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    const std::optional<QByteArray> bytes = resolved ? m_store->raw(*resolved) : std::nullopt;
    if (!bytes)
        return ApiResponse::notFound();
    if (!m_spamCheck)
        m_spamCheck = std::make_unique<SpamCheck>(m_spamAssassinAddress);
    auto *pending = new ApiPendingResponse;
    m_spamCheck->check(
        *bytes, [pending = QPointer<ApiPendingResponse>(pending)](const SpamReport &report) {
            if (pending)
                pending->finish(ApiResponse::json(QJsonDocument(spamCheckJson(report))));
        });
    return ApiResponse::later(pending);
}

ApiResponse ApiRoutes::listSessions(const ApiRequest &request) const
{
    const qint64 start = startParam(request);
    QJsonArray sessions;
    for (const SessionRecord &record :
         m_store->sessions(start, limitParam(request), MessageStore::Order::NewestFirst))
        sessions.append(sessionJson(record));
    return ApiResponse::json(QJsonDocument(QJsonObject{
        {QStringLiteral("total"), m_store->sessionCount()},
        {QStringLiteral("start"), start},
        {QStringLiteral("count"), sessions.size()},
        {QStringLiteral("sessions"), sessions},
    }));
}

ApiResponse ApiRoutes::session(const QString &id) const
{
    const std::optional<qint64> parsed = parseId(id);
    const std::optional<SessionRecord> record = parsed ? m_store->session(*parsed) : std::nullopt;
    if (!record)
        return ApiResponse::notFound();
    QJsonObject json = sessionJson(*record);
    QJsonArray ids;
    for (qint64 messageId : m_store->messageIdsOfSession(record->id))
        ids.append(apiId(messageId));
    json.insert(QStringLiteral("MessageIDs"), ids);
    return ApiResponse::json(QJsonDocument(json));
}

ApiResponse ApiRoutes::transcript(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> parsed = parseId(id);
    const std::optional<SessionRecord> record = parsed ? m_store->session(*parsed) : std::nullopt;
    if (!record)
        return ApiResponse::notFound();
    if (request.queryValue(QStringLiteral("format")) == u"text")
        return ApiResponse::text(transcriptText(record->transcript));
    return ApiResponse::json(QJsonDocument(transcriptJson(record->transcript)));
}

ApiResponse ApiRoutes::ready() const
{
    if (m_smtp && !m_smtp->isListening())
        return ApiResponse::error(503, QStringLiteral("Service Unavailable"));
    return ApiResponse::text({});
}
