#pragma once

#include "records/MessageHeadline.h"

#include <QByteArray>
#include <QStringList>

// The list columns of a message (From, To, Subject, Date, attachments), decoded from its raw
// bytes. Never fails: unreadable input gives empty fields. Implemented in HeadlineReader.cpp;
// needs a MimeRuntime first (see DecodedMessage.h).
MessageHeadline readHeadline(const QByteArray &raw);

// The values of every field called `name` (case-insensitive) in the message's own header block,
// in order, decoded (RFC 2047) on one line each: for tag sources (X-Tags, routing by header).
// Empty when the block is not plain header fields.
QStringList readHeaderValues(const QByteArray &raw, const char *name);
