#pragma once

// The MIME structure of a raw message (RFC 2045, RFC 2046 5): every entity with its byte range,
// its header fields and what its Content-Type and Content-Transfer-Encoding declare. Paths
// number entities as mime/DecodedMessage.h does ("1", "1.2", the message inside a
// message/rfc822 part at P is "P.1").

#include "HeaderSyntax.h"
#include "RawHeaders.h"

#include <QString>

struct RawMimeEntity
{
    QString path;
    int depth = 0;
    qsizetype begin = 0;
    qsizetype end = 0; // of the body
    RawHeaderBlock header;
    ParameterizedValue contentType; // token "text/plain" when absent (RFC 2045 5.2)
    bool contentTypeDeclared = false;
    QByteArray transferEncoding; // lower-cased; empty when absent

    // Multiparts only: what the body says about the boundary.
    QByteArray boundary;
    bool boundaryFound = false; // at least one delimiter line
    bool closingFound = false;  // the close-delimiter "--boundary--"
    qsizetype firstDelimiter = -1;

    qsizetype bodyBegin() const { return header.bodyOffset; }
    bool isMultipart() const { return contentType.token.startsWith("multipart/"); }
    bool isMessage() const
    {
        return contentType.token == "message/rfc822" || contentType.token == "message/global";
    }
};

// Limits that keep hostile nesting bounded; deeper or further entities are not listed.
constexpr int kMaxMimeDepth = 32;
constexpr int kMaxMimeEntities = 10000;

// Every entity in document order (pre-order), the whole message first.
QList<RawMimeEntity> walkMime(QByteArrayView raw);
