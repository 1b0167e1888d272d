#pragma once

#include "mime/DecodedMessage.h"
#include "records/Records.h"

#include <QString>

#include <memory>

class MessageStore;

// Everything the inspector shows for one message, gathered and decoded off the GUI thread.
struct LoadedMessage
{
    MessageRecord record; // from the store; for a file only raw, receivedMs and headline
    QString sourceFile;   // set when opened from disk
    std::shared_ptr<const DecodedMessage> decoded;
    Transcript transcript; // the session's, when the store still has it
    QString rawText;       // the raw bytes as text, at most kRawTextLimit bytes of them
    bool rawTextTruncated = false;
    QString error; // set when the message could not be read at all

    bool isFromFile() const { return !sourceFile.isEmpty(); }
};

// Laying out more raw source than this in a text widget stalls the window for a noticeable
// moment; the Raw tab shows the rest when asked.
constexpr qsizetype kRawTextLimit = 1024 * 1024;

// Raw source as text: UTF-8, or Latin-1 (one character per byte) when it is not valid UTF-8.
QString rawSourceText(const QByteArray &raw);
bool rawSourceIsLatin1(const QByteArray &raw); // the choice rawSourceText() makes

// These run in a worker thread: they read and decode, and never touch a widget.
LoadedMessage loadStoredMessage(const MessageStore *store, qint64 id);
LoadedMessage loadMessageFile(const QString &path);
