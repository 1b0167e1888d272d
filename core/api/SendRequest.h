#pragma once

#include "mime/MessageDraft.h"

#include <QJsonObject>

#include <optional>

// The body of Mailpit's POST /api/v1/send as a MessageDraft, or nothing and *error naming the
// field that is wrong ("To[1].Email: not an email address"). Pure.
std::optional<MessageDraft> parseSendRequest(const QJsonObject &body, QString *error);

// Every envelope recipient of a draft: To, Cc, then Bcc, each address once.
QList<QByteArray> draftRecipients(const MessageDraft &draft);
