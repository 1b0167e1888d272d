#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// A message to be written from fields (Mailpit's POST /api/v1/send), as plain values.
struct MessageDraft
{
    struct Mailbox
    {
        QString name;
        QString address;
    };
    struct Attachment
    {
        QString fileName;
        QString contentType; // empty: application/octet-stream
        QString contentId;   // set: an inline part the HTML refers to with cid:
        QByteArray content;  // decoded bytes
    };

    Mailbox from;
    QList<Mailbox> to;
    QList<Mailbox> cc;
    QList<Mailbox> bcc; // envelope only: no header names them
    QList<Mailbox> replyTo;
    QString subject;
    QString text;
    QString html;
    QList<Attachment> attachments;
    QList<QPair<QString, QString>> headers; // extra fields, in order
    QStringList tags;                       // written as X-Tags, as Mailpit reads it
};

// The message as RFC 5322 bytes with CRLF line ends, built by GMime: a text part, an HTML
// part or both (multipart/alternative), and attachments around them (multipart/mixed).
QByteArray composeMessage(const MessageDraft &draft, qint64 dateMs);
