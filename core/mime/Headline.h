#pragma once

#include <QByteArray>
#include <QString>

// The few header facts a list needs, decoded once when a message is stored. The texts are single
// lines: line breaks and tabs a sender encoded become spaces, other control characters U+FFFD.
struct MessageHeadline
{
    QString from;
    QString to;
    QString subject;
    QString messageId;
    qint64 dateMs = 0; // the Date: header, 0 when absent or unreadable
    bool hasAttachments = false;
};

// The list columns of a message (From, To, Subject, Date, attachments), decoded from its raw
// bytes. Never fails: unreadable input gives empty fields. Implemented in GMimeAdapter.cpp;
// needs a MimeRuntime first (see DecodedMessage.h).
MessageHeadline readHeadline(const QByteArray &raw);
