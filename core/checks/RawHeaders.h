#pragma once

// The header fields of a message or MIME entity exactly as they were sent, with their byte
// offsets. The decoded view (mime/DecodedMessage.h) unfolds and decodes; lint findings need
// the offsets and DKIM needs the bytes, so both read headers through this.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

struct RawHeaderField
{
    QByteArray name;         // the bytes before the colon, trailing blanks excluded
    QByteArray value;        // after the colon up to the final line break; folding kept
    qsizetype offset = 0;    // of the field's first byte in the scanned data
    qsizetype length = 0;    // the whole field, its final line break included
    qsizetype lineBreak = 0; // length of the final line break: 2 (CRLF), 1 (LF) or 0 (none)
    bool hasColon = true;
    bool blankBeforeColon = false; // RFC 5322 4.5 obsolete syntax: "Subject : x"

    bool is(QByteArrayView other) const; // name compared case-insensitively
    qsizetype valueOffset() const;       // of the first value byte
};

struct RawHeaderBlock
{
    QList<RawHeaderField> fields;
    qsizetype bodyOffset = 0; // the first byte after the blank line; the end without one
    bool hasBlankLine = false;

    // The first field named `name`, or null.
    const RawHeaderField *field(QByteArrayView name) const;
    QList<const RawHeaderField *> all(QByteArrayView name) const;
};

// Reads header fields from `data[begin, end)` up to the first empty line. Lines end with CRLF
// or a bare LF (both occur in captured mail); a line that starts with a blank continues the
// previous field. A line without a colon is kept as a field with hasColon false.
RawHeaderBlock scanHeaderBlock(QByteArrayView data, qsizetype begin = 0, qsizetype end = -1);

// A folded value on one line: its line breaks (CRLF or LF) removed, the blanks after them kept
// (RFC 5322 2.2.3).
QByteArray unfold(QByteArrayView value);

// Maps byte offsets to 1-based line numbers.
class LineIndex
{
public:
    explicit LineIndex(QByteArrayView data);
    int lineOf(qsizetype offset) const;
    qsizetype lineCount() const { return m_starts.size(); }

private:
    QList<qsizetype> m_starts;
};
