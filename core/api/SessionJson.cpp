#include "SessionJson.h"

#include "MessageJson.h"

namespace {
const char *directionName(TranscriptEntry::Direction direction)
{
    switch (direction) {
    case TranscriptEntry::Direction::Client:
        return "client";
    case TranscriptEntry::Direction::Server:
        return "server";
    case TranscriptEntry::Direction::Event:
        return "event";
    }
    return "event";
}

const char *directionMark(TranscriptEntry::Direction direction)
{
    switch (direction) {
    case TranscriptEntry::Direction::Client:
        return "C: ";
    case TranscriptEntry::Direction::Server:
        return "S: ";
    case TranscriptEntry::Direction::Event:
        return "*: ";
    }
    return "*: ";
}
} // namespace

QJsonObject sessionJson(const SessionRecord &session)
{
    const QJsonValue tls = session.tls.protocol.isEmpty()
                               ? QJsonValue(QJsonValue::Null)
                               : QJsonObject{{QStringLiteral("Protocol"), session.tls.protocol},
                                             {QStringLiteral("Cipher"), session.tls.cipher}};
    return {
        {QStringLiteral("ID"), apiId(session.id)},
        {QStringLiteral("Peer"), QJsonObject{{QStringLiteral("Address"), session.peerAddress},
                                             {QStringLiteral("Port"), session.peerPort}}},
        {QStringLiteral("LocalPort"), session.localPort},
        {QStringLiteral("Helo"), QString::fromUtf8(session.helo)},
        {QStringLiteral("Started"), apiTime(session.startedMs)},
        {QStringLiteral("Ended"),
         session.endedMs ? QJsonValue(apiTime(session.endedMs)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("TLS"), tls},
        {QStringLiteral("AuthUser"), session.authUser},
        {QStringLiteral("State"), sessionEndName(session.end)},
        {QStringLiteral("Warnings"), QJsonArray::fromStringList(session.warnings)},
        {QStringLiteral("Rules"), rulesFired(session.warnings)},
        {QStringLiteral("MessageCount"), session.messageCount},
    };
}

QJsonArray transcriptJson(const Transcript &transcript)
{
    QJsonArray entries;
    for (const TranscriptEntry &entry : transcript) {
        entries.append(QJsonObject{
            {QStringLiteral("Time"), apiTime(entry.timeMs)},
            {QStringLiteral("Direction"), QLatin1String(directionName(entry.direction))},
            {QStringLiteral("Text"), QString::fromUtf8(entry.bytes)},
        });
    }
    return entries;
}

QByteArray transcriptText(const Transcript &transcript)
{
    QByteArray text;
    for (const TranscriptEntry &entry : transcript) {
        const QByteArray prefix =
            apiTime(entry.timeMs).toLatin1() + ' ' + directionMark(entry.direction);
        QByteArray bytes = entry.bytes;
        while (bytes.endsWith('\n') || bytes.endsWith('\r'))
            bytes.chop(1);
        for (QByteArray line : bytes.split('\n')) {
            if (line.endsWith('\r'))
                line.chop(1);
            text += prefix + line + '\n';
        }
    }
    return text;
}
