#pragma once

// The decoded view of one message: plain Qt values produced by the GMime adapter
// (MessageDecoder.cpp, HeadlineReader.cpp and PartContent.cpp over GMimeSupport.h: the only
// files that include GMime).
//
// GMime must be initialised once per process before any of these functions run: the app
// constructs a MimeRuntime (MimeRuntime.h: g_mime_init() / g_mime_shutdown()) at the top of
// main(), before starting any thread; tests hold one as a member. After that the functions are
// safe to call from any thread, because every call builds and frees its own GMime objects.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

struct MimeHeader
{
    QString name;
    QString value;       // unfolded, RFC 2047 words decoded, as UTF-8
    QByteArray rawValue; // the bytes after the colon, folding kept, final line break removed
};

struct MailAddress
{
    QString name;    // display name, decoded; may be empty
    QString address; // addr-spec; may be empty for a malformed entry
    QString group;   // the RFC 5322 group this mailbox was listed under, if any
};

// One entity of the MIME tree, listed in document order (pre-order).
//
// Paths number every entity, containers included: the whole message is "1", the n-th child of
// a multipart at path P is "P.n", and the message inside a message/rfc822 part at P is "P.1".
// (This is the numbering Apache mime4j uses; unlike IMAP's it also names the multiparts.)
struct MimePart
{
    QString path;
    int depth = 0;                             // 0 for the root
    QString contentType;                       // lower-case "type/subtype"
    QList<QPair<QString, QString>> parameters; // Content-Type parameters, decoded, in order
    QString charset;                           // the charset parameter, as declared
    QString transferEncoding;                  // lower-case, as declared; empty when absent
    QString disposition; // lower-case "inline"/"attachment"; empty when absent
    QString fileName;    // RFC 2231 / RFC 2047 decoded, unsanitised: see ExportFileName.h
    QString contentId;   // without the angle brackets
    QString contentLocation;
    qint64 decodedSize = 0; // bytes after transfer decoding; 0 for multiparts
    bool isAttachment = false;
    // Path of the message/rfc822 part whose message contains this entity; empty at top level.
    QString enclosingMessage;

    bool isMultipart() const { return contentType.startsWith(QLatin1String("multipart/")); }
    bool isMessage() const
    {
        return contentType == QLatin1String("message/rfc822") ||
               contentType == QLatin1String("message/global");
    }
};

struct MimeWarning
{
    qint64 offset = -1; // byte offset in the raw message when known
    QString text;
};

struct DecodedMessage
{
    // False when the data did not start with a header: then `parts` holds one text/plain
    // entity with the whole input and `textBody` shows it.
    bool hasHeader = true;
    QList<MimeHeader> headers; // the top-level header block, in order
    QList<MailAddress> from;
    QList<MailAddress> sender;
    QList<MailAddress> to;
    QList<MailAddress> cc;
    QList<MailAddress> bcc;
    QList<MailAddress> replyTo;
    QString subject; // one line: line breaks and tabs become spaces, other controls U+FFFD
    QDateTime date;  // invalid when absent or unreadable
    QString messageId;
    QList<MimePart> parts;
    QString textBody; // UTF-8; unconvertible bytes appear as U+FFFD
    QString textBodyPath;
    QString htmlBody;
    QString htmlBodyPath;
    QList<MimeWarning> warnings;

    const MimePart *part(const QString &path) const;
};

// Decodes everything except attachment bytes. Never fails: malformed input gives what could
// be decoded plus warnings.
DecodedMessage decodeMessage(const QByteArray &raw);

// The transfer-decoded bytes of the entity at `path` (for message/rfc822: the enclosed message
// as it was sent). Empty when there is no such path or it is a multipart.
QByteArray decodePartContent(const QByteArray &raw, const QString &path);

// `bytes` in `charset` as UTF-8 text. Bytes that do not convert become U+FFFD and are counted
// in `replaced` (when given). Unknown or empty charsets: UTF-8 if the bytes are valid UTF-8,
// otherwise Windows-1252.
QString decodeText(const QByteArray &bytes, const QString &charset, int *replaced = nullptr);
