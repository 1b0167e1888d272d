#pragma once

#include "records/MessageHeadline.h"

#include <QByteArray>

// The list columns of a message (From, To, Subject, Date, attachments), decoded from its raw
// bytes. Never fails: unreadable input gives empty fields. Implemented in HeadlineReader.cpp;
// needs a MimeRuntime first (see DecodedMessage.h).
MessageHeadline readHeadline(const QByteArray &raw);
