#pragma once

#include "records/Records.h"

// Passing a captured message on to a real SMTP server (release, auto-relay, forward): one
// delivery per request, with every attempt at it. Times are milliseconds since the Unix epoch.

// What the upstream said to one RCPT.
struct RecipientOutcome
{
    QByteArray address;
    int code = 0;     // 0: not tried in this attempt
    QByteArray reply; // the whole reply, "250 2.1.5 Ok"

    bool accepted() const { return code >= 200 && code < 300; }
    bool temporary() const { return code == 0 || (code >= 400 && code < 500); }
};

// One connection to the upstream and what came of it.
struct DeliveryAttempt
{
    enum class Result : quint8
    {
        Delivered,        // every recipient accepted, the data accepted
        Partial,          // the data accepted for some recipients; the others refused
        TemporaryFailure, // 4xx, connection failure, timeout: worth another try
        PermanentFailure, // 5xx, or the message cannot be sent to this upstream as it is
    };

    qint64 startedMs = 0;
    qint64 endedMs = 0;
    QString upstream; // "host:port"
    TlsInfo tls;
    bool insecure = false; // the certificate was not verified, on purpose
    QString authUser;      // empty: no AUTH
    QList<RecipientOutcome> recipients;
    Result result = Result::TemporaryFailure;
    QString reason; // the upstream's deciding reply, or why smtpeek gave up
    Transcript transcript;

    bool operator==(const DeliveryAttempt &o) const;
};
QString attemptResultName(DeliveryAttempt::Result result);
DeliveryAttempt::Result attemptResultFromName(const QString &name);

struct DeliveryRecord
{
    enum class Kind : quint8
    {
        Release,
        AutoRelay,
        Forward
    };
    enum class Status : quint8
    {
        Pending,   // waiting for its next attempt
        Delivered, // every recipient has it
        Partial,   // some recipients have it; the others were refused for good
        Failed,    // nobody has it, and no attempt is left
    };

    qint64 id = 0;
    qint64 messageId = 0;
    qint64 createdMs = 0;
    Kind kind = Kind::Release;
    Status status = Status::Pending;
    QByteArray mailFrom;          // MAIL FROM sent; empty for the null sender
    QList<QByteArray> recipients; // everyone the delivery is for
    qint64 nextAttemptMs = 0;     // when Pending
    QList<DeliveryAttempt> attempts;

    bool operator==(const DeliveryRecord &o) const;
};
QString deliveryKindName(DeliveryRecord::Kind kind);
DeliveryRecord::Kind deliveryKindFromName(const QString &name);
QString deliveryStatusName(DeliveryRecord::Status status);
DeliveryRecord::Status deliveryStatusFromName(const QString &name);

RelayMark relayMarkOf(DeliveryRecord::Status status);

Q_DECLARE_METATYPE(DeliveryRecord)
