#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "records/MessageHeadline.h"

// Plain value types that cross threads and module boundaries: the server produces them, the
// store keeps them, the UI and the API show them. Times are milliseconds since the Unix epoch.

struct TranscriptEntry
{
    enum class Direction : quint8 { Client, Server, Event };

    qint64 timeMs = 0;
    Direction direction = Direction::Client;
    QByteArray bytes; // exactly what crossed the wire, or a marker such as "[DATA: …]"

    friend bool operator==(const TranscriptEntry &a, const TranscriptEntry &b)
    {
        return a.timeMs == b.timeMs && a.direction == b.direction && a.bytes == b.bytes;
    }
};
using Transcript = QList<TranscriptEntry>;

enum class SessionEnd : quint8 { Active, Quit, Dropped, Timeout, Shutdown, Error };
QString sessionEndName(SessionEnd end);
SessionEnd sessionEndFromName(const QString &name);

struct TlsInfo
{
    QString protocol; // empty: no TLS
    QString cipher;
    bool operator==(const TlsInfo &o) const { return protocol == o.protocol && cipher == o.cipher; }
};

struct SessionRecord
{
    qint64 id = 0;
    QString peerAddress;
    quint16 peerPort = 0;
    quint16 localPort = 0;
    QByteArray helo;
    qint64 startedMs = 0;
    qint64 endedMs = 0; // 0 while active
    TlsInfo tls;
    QString authUser;
    SessionEnd end = SessionEnd::Active;
    QStringList warnings;
    int messageCount = 0;
    Transcript transcript;
};

// What a transaction declared: MAIL FROM and its parameters, every accepted RCPT.
struct Envelope
{
    enum class Body : quint8 { Unspecified, SevenBit, EightBitMime, BinaryMime };

    QByteArray mailFrom; // empty for the null sender <>
    QList<QByteArray> rcptTo;
    Body body = Body::Unspecified;
    bool smtpUtf8 = false;
    qint64 declaredSize = -1;
    QByteArray authParameter; // the AUTH= MAIL parameter, xtext as sent

    bool operator==(const Envelope &o) const
    {
        return mailFrom == o.mailFrom && rcptTo == o.rcptTo && body == o.body &&
               smtpUtf8 == o.smtpUtf8 && declaredSize == o.declaredSize &&
               authParameter == o.authParameter;
    }
};
QString envelopeBodyName(Envelope::Body body);
Envelope::Body envelopeBodyFromName(const QString &name);

// How the message list marks a message: the status of its latest delivery upstream.
enum class RelayMark : quint8
{
    None,
    Pending,
    Delivered,
    Partial,
    Failed
};

struct MessageSummary
{
    qint64 id = 0;
    qint64 sessionId = 0;
    qint64 receivedMs = 0;
    qint64 size = 0;
    MessageHeadline headline;
    QByteArray envelopeFrom;
    QList<QByteArray> envelopeTo;
    int warningCount = 0;
    bool read = false;
    RelayMark relay = RelayMark::None;
    QStringList tags; // the mailboxes it is in (TagName.h), in name order
};

// Everything known about one captured message. Raw bytes are exactly what the client sent,
// after dot-unstuffing.
struct MessageRecord
{
    qint64 id = 0;
    qint64 sessionId = 0;
    qint64 receivedMs = 0;
    Envelope envelope;
    QByteArray helo;
    QString peerAddress;
    quint16 peerPort = 0;
    TlsInfo tls;
    QString authUser;
    QByteArray raw;
    QStringList warnings;
    int transcriptFirst = -1; // the session transcript entries that carried this message
    int transcriptLast = -1;
    MessageHeadline headline;
    bool read = false;
    RelayMark relay = RelayMark::None;
    // Set by the store as it saves the message (its TagRules), then by tag edits.
    QStringList tags;

    MessageSummary summary() const;
};

Q_DECLARE_METATYPE(TranscriptEntry)
Q_DECLARE_METATYPE(Transcript)
Q_DECLARE_METATYPE(SessionRecord)
Q_DECLARE_METATYPE(MessageSummary)
Q_DECLARE_METATYPE(MessageRecord)
