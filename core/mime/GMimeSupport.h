#pragma once

// Internal to core/mime: the GMime plumbing that the full decode (MessageDecoder.cpp), the
// headline (HeadlineReader.cpp) and part contents (PartContent.cpp) share. GMime's headers come
// first so Qt's keyword macros (off project-wide anyway) cannot collide with GIO's struct
// members. Everything outside core/mime sees only Qt value types.
#include <gmime/gmime.h>

#include "DecodedMessage.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <utility>

namespace gmime {

struct GObjectUnref
{
    void operator()(gpointer object) const { g_object_unref(object); }
};
template <typename T> using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree
{
    void operator()(gpointer memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

struct ParserOptionsFree
{
    void operator()(GMimeParserOptions *options) const { g_mime_parser_options_free(options); }
};

// GMime reports some problems thousands of times in hostile input; beyond this many the rest
// are only counted.
constexpr int kMaxWarnings = 200;
// Deeper trees are not described (GMime's own parser stops nesting well before this).
constexpr int kMaxDepth = 256;

// A header-derived C string as Qt text, line folds inside quoted strings removed.
QString text(const char *utf8);

class WarningList
{
public:
    void add(qint64 offset, const QString &text)
    {
        if (m_warnings.size() < kMaxWarnings)
            m_warnings.append({offset, text});
        else
            ++m_dropped;
    }

    QList<MimeWarning> take()
    {
        if (m_dropped > 0)
            m_warnings.append({-1, QStringLiteral("%1 more warnings not shown").arg(m_dropped)});
        m_dropped = 0;
        return std::exchange(m_warnings, {});
    }

private:
    QList<MimeWarning> m_warnings;
    int m_dropped = 0;
};

// Where the parser reports: the message's warning list, with a prefix for the messages parsed
// from inside an encoded message/rfc822 part (their offsets count from that part's content).
struct WarningSink
{
    WarningList *list;
    QString prefix;
};

using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

// The one parser configuration: lenient, with fallback charsets, warnings reported to `sink`.
ParserOptionsPtr parserOptions(WarningSink *sink);
GPtr<GMimeParser> parserOver(const QByteArray &raw);

// A message parsed from raw bytes. GMime may report warnings while headers are decoded lazily,
// long after construction, so the sink and the options that point at it live as long as the
// message (members are destroyed in reverse order). Not copyable or movable for the same reason.
class ParsedMessage
{
public:
    ParsedMessage(const QByteArray &raw, WarningList &warnings, const QString &warningPrefix)
        : m_sink{&warnings, warningPrefix}, m_options(parserOptions(&m_sink))
    {
        m_message.reset(g_mime_parser_construct_message(parserOver(raw).get(), m_options.get()));
    }
    ParsedMessage(const ParsedMessage &) = delete;
    ParsedMessage &operator=(const ParsedMessage &) = delete;

    GMimeMessage *message() const { return m_message.get(); }
    GMimeObject *root() const
    {
        return m_message ? g_mime_message_get_mime_part(m_message.get()) : nullptr;
    }
    GMimeParserOptions *options() const { return m_options.get(); }

private:
    WarningSink m_sink;
    ParserOptionsPtr m_options;
    GPtr<GMimeMessage> m_message;
};

// Header values: decoded as GMime decodes them, with base64
// encoded words read as quoted-printable ones so that split characters survive.
GCharPtr decodedValue(const char *raw, GMimeParserOptions *options);
QString displayedValue(const char *raw, GMimeParserOptions *options);
QString headerValue(GMimeHeader *header, GMimeParserOptions *options);
QString singleLine(QString value);
QString subjectOf(GMimeMessage *message, GMimeParserOptions *options);
void parseAddressesInto(InternetAddressList *list, const char *raw, GMimeParserOptions *options);
GPtr<InternetAddressList> addressList(GMimeMessage *message, GMimeAddressType type,
                                      GMimeParserOptions *options);
QString addressLine(InternetAddressList *list);

// What an entity's headers say about it being an attachment, and its parameters.
QString parameter(GMimeParamList *parameters, const char *name);
QString charsetName(const QString &value);
bool attachmentRule(bool isMessage, const QString &disposition, bool isMultipart, bool hasFileName);
bool isAttachment(GMimeContentType *type, GMimeContentDisposition *d, bool isMultipart);
bool entityIsAttachment(GMimeObject *object);
} // namespace gmime
