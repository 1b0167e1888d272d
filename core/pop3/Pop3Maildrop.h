#pragma once

#include "store/MessageQuery.h"

#include <QByteArray>
#include <QList>
#include <QString>

class MessageStore;

// What one POP3 login sees (RFC 1939 section 3): the messages of its mailbox when it logged in,
// numbered from 1 oldest first, and those it marked deleted. The store is not changed until
// QUIT. Pure apart from open(), which reads the store once.
class Pop3Maildrop
{
public:
    struct Entry
    {
        qint64 id = 0; // the store's, also the UIDL
        qint64 size = 0;
        bool deleted = false;
    };

    // The mailbox a login names: a tag (any case) shows that tag's messages, an address those
    // sent to it (envelope or To header); any other name shows all mail.
    static MessageQuery mailboxOf(const MessageStore &store, const QString &user);
    static Pop3Maildrop open(const MessageStore &store, const QString &user);

    explicit Pop3Maildrop(QList<Entry> entries = {}) : m_entries(std::move(entries)) {}

    qint64 count() const;                            // not deleted
    qint64 totalSize() const;                        // not deleted
    qint64 size() const { return m_entries.size(); } // the highest message number
    // Null for a number out of range; deleted ones are returned (callers say so).
    const Entry *entry(qint64 number) const;
    bool markDeleted(qint64 number);
    void undeleteAll();
    QList<qint64> deletedIds() const;

    // A message as a multi-line response carries it (RFC 1939 section 3): each line that starts
    // with "." gets another, a last line without its CRLF gets one, then ".". With bodyLines of
    // zero or more, only the header, the blank line and that many body lines (TOP).
    static QByteArray multiline(const QByteArray &raw, qint64 bodyLines = -1);

private:
    QList<Entry> m_entries;
};
