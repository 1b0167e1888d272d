#pragma once

// Internal to core/mime: a parsed message as a tree of entities, and their contents.
#include "GMimeSupport.h"

#include <map>

namespace gmime {
bool isEnclosedMessageType(GMimeObject *object);
// Writes the decoded content of a leaf part, or the enclosed message of a message/rfc822
// part as GMime writes it back, to `stream`. Returns false for containers.
bool writeContent(GMimeObject *object, GMimeStream *stream);
QByteArray contentBytes(GMimeObject *object);

// The boundaries of the multiparts around an entity, innermost last.
using Boundaries = QList<QByteArray>;
Boundaries withBoundaryOf(GMimeObject *object, Boundaries boundaries);

// A parsed message plus the messages parsed on demand from message/rfc822 parts that GMime kept
// as opaque leaves because they were base64 or quoted-printable encoded.

class MessageTree
{
public:
    explicit MessageTree(const QByteArray &raw) : m_raw(raw), m_top(raw, m_warnings, QString()) {}

    GMimeMessage *message() const { return m_top.message(); }
    GMimeObject *root() const { return m_top.root(); }
    GMimeParserOptions *options() const { return m_top.options(); }
    WarningList &warnings() { return m_warnings; }

    // The entities directly below `object`: a multipart's parts, or the body of the message
    // inside a message/rfc822 part. Paths name them by their 1-based position here.
    QList<GMimeObject *> childrenOf(GMimeObject *object);
    // The entity at `path`, with the boundaries of the multiparts around it.
    GMimeObject *find(const QString &path, Boundaries &boundaries);
    // Transfer-decoded content of a leaf part; for a message/rfc822 part, the enclosed message
    // byte for byte as sent. Empty for multiparts.
    QByteArray content(GMimeObject *object, const Boundaries &boundaries);
    qint64 contentSize(GMimeObject *object, const Boundaries &boundaries);

private:
    ParsedMessage &encodedMessage(GMimeObject *part);
    QByteArray enclosedMessageBytes(GMimeObject *object, const Boundaries &boundaries) const;
    // Whether `header` was read from `m_raw` at `offset`: its name, a colon, then its raw value.
    bool startsWithHeader(qint64 offset, GMimeHeader *header) const;

    QByteArray m_raw;
    WarningList m_warnings;
    ParsedMessage m_top;
    std::map<GMimeObject *, std::unique_ptr<ParsedMessage>> m_encoded;
};
} // namespace gmime
