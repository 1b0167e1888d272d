#pragma once

#include <QString>

// The few header facts a list needs, decoded once when a message is stored (by mime's
// readHeadline()). The texts are single lines: line breaks and tabs a sender encoded become
// spaces, other control characters U+FFFD.
struct MessageHeadline
{
    QString from;
    QString to;
    QString subject;
    QString messageId;
    qint64 dateMs = 0; // the Date: header, 0 when absent or unreadable
    bool hasAttachments = false;
};
