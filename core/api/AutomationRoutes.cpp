// The routes a test suite calls instead of polling or speaking SMTP: smtpeek's GET
// /api/v1/wait, Mailpit's POST /api/v1/send, and the OpenAPI document of every route.
#include "ApiRoutes.h"

#include "MessageJson.h"
#include "MessageWaits.h"
#include "SendRequest.h"
#include "WaitRequest.h"

#include "store/MessageStore.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>

namespace {
QList<qint64> idsAfter(const QList<qint64> &ids, qint64 since)
{
    QList<qint64> after;
    for (qint64 id : ids) {
        if (id > since)
            after.append(id);
    }
    return after;
}

// A message sent through the API is stored with a session of its own, as if a client had
// submitted it; the transcript says where it came from instead of an SMTP conversation.
SessionRecord apiSession(qint64 id, qint64 nowMs, qsizetype size)
{
    SessionRecord session;
    session.id = id;
    session.helo = "api";
    session.startedMs = session.endedMs = nowMs;
    session.end = SessionEnd::Quit;
    session.messageCount = 1;
    session.transcript = {
        {nowMs, TranscriptEntry::Direction::Event, "[API: POST /api/v1/send]"},
        {nowMs, TranscriptEntry::Direction::Event,
         "[DATA: " + QByteArray::number(size) + " bytes, composed by smtpeek]"},
    };
    return session;
}
} // namespace

void ApiRoutes::addAutomationRoutes()
{
    using Args = const QStringList &;
    m_waits = std::make_unique<MessageWaits>(
        [this](const WaitRequest &w, bool timedOut) { return waitAnswer(w, timedOut); });
    m_router.add("GET", QStringLiteral("/api/v1/wait"),
                 [this](const ApiRequest &r, Args) { return wait(r); });
    m_router.add("POST", QStringLiteral("/api/v1/send"),
                 [this](const ApiRequest &r, Args) { return send(r); });
    // Written by hand (core/api/openapi.json); tst_openapi fails when it and the routes differ.
    m_router.add("GET", QStringLiteral("/api/v1/openapi.json"), [](const ApiRequest &, Args) {
        QFile file(QStringLiteral(":/smtpeek/api/openapi.json"));
        if (!file.open(QIODevice::ReadOnly))
            return ApiResponse::error(500, QStringLiteral("the OpenAPI document is missing"));
        ApiResponse response = ApiResponse::text(file.readAll());
        response.contentType = "application/json";
        return response;
    });
}

// Answers at once when enough messages match already, otherwise when the store has stored
// enough (MessageWaits), or with 408 at the timeout.
ApiResponse ApiRoutes::wait(const ApiRequest &request) const
{
    QString problem;
    const std::optional<WaitRequest> wait = parseWaitRequest(request, &problem);
    if (!wait)
        return ApiResponse::error(400, problem);
    return m_waits->wait(*wait, [this](const WaitRequest &w) {
        return idsAfter(m_store->matchingIds(w.query, -1), w.since);
    });
}

// Mailpit's list JSON of the matches, newest first; 408 with the same JSON (its
// "messages_count" is the count so far) when time ran out first.
ApiResponse ApiRoutes::waitAnswer(const WaitRequest &wait, bool timedOut) const
{
    const MessageStore::SearchPage found = m_store->search(wait.query, 0, kMaxPageSize);
    QList<MessageSummary> matches;
    for (const MessageSummary &summary : found.messages) {
        if (summary.id > wait.since)
            matches.append(summary);
    }
    MessageListCounts counts;
    counts.total = found.total;
    counts.unread = found.unread;
    counts.matching = matches.size();
    for (const MessageSummary &summary : matches)
        counts.matchingUnread += summary.read ? 0 : 1;
    const bool enough = matches.size() >= wait.count;
    return ApiResponse::json(QJsonDocument(messageListJson(counts, summariesJson(matches))),
                             timedOut && !enough ? 408 : 200);
}

// Answers once the message is durable, with Mailpit's {"ID": …}.
ApiResponse ApiRoutes::send(const ApiRequest &request) const
{
    ApiResponse error;
    const std::optional<QJsonObject> body = objectBody(request, &error);
    if (!body)
        return error;
    QString problem;
    const std::optional<MessageDraft> draft = parseSendRequest(*body, &problem);
    if (!draft)
        return ApiResponse::error(400, problem);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    MessageRecord message;
    message.id = m_store->allocateMessageId();
    message.sessionId = m_store->allocateSessionId();
    message.receivedMs = now;
    message.envelope.mailFrom = draft->from.address.toUtf8();
    message.envelope.rcptTo = draftRecipients(*draft);
    message.helo = "api";
    message.raw = composeMessage(*draft, now);
    message.transcriptFirst = 1;
    message.transcriptLast = 1;
    m_store->saveSession(apiSession(message.sessionId, now, message.raw.size()));
    auto *pending = new ApiPendingResponse;
    const qint64 id = message.id;
    m_store->saveMessage(message, pending, [pending, id](bool stored) {
        pending->finish(
            stored
                ? ApiResponse::json(QJsonDocument(QJsonObject{{QStringLiteral("ID"), apiId(id)}}))
                : ApiResponse::error(500, QStringLiteral("the store refused the message")));
    });
    return ApiResponse::later(pending);
}
