#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Frames the bytes of one SMTP connection into command lines, DATA bodies and BDAT chunks,
// enforcing the line and size limits. Pure: no I/O, no timers, no Qt objects.
//
// DATA ends only on CRLF "." CRLF; a bare LF or bare CR never ends a line, so no "SMTP
// smuggling" variant can split one message into two. Lines starting with "." lose that dot.
class LineReader
{
public:
    struct Limits
    {
        qsizetype maxCommandLine = 512; // octets, CRLF included
        qsizetype maxAuthLine = 12288;  // AUTH lines and SASL responses (RFC 4954 4)
        qsizetype maxTextLine = 1000;   // octets, CRLF included
        qint64 maxMessageSize = 25 * 1024 * 1024;
    };

    enum class Mode { Command, Data, Chunk };

    enum class Event {
        NeedMore,       // nothing complete in the buffer
        CommandLine,    // takeLine() has it
        CommandTooLong, // the line was discarded; the rest of it up to LF will be too
        DataComplete,   // the final "." of DATA was read; message() has the body
        ChunkComplete,  // the BDAT chunk was read in full
    };

    // What the body looked like, for compliance warnings and the transcript marker.
    struct BodyStats
    {
        qint64 size = 0;  // every octet received, kept or not
        qint64 lines = 0;
        qsizetype longestLine = 0; // octets, CRLF included
        bool bareLf = false;
        bool bareCr = false;
        bool eightBit = false;
        bool nulByte = false;
        bool overflow = false; // more than maxMessageSize: the bytes were discarded
    };

    LineReader() = default;
    explicit LineReader(const Limits &limits) : m_limits(limits) {}

    void append(QByteArrayView bytes);
    Event next();

    Mode mode() const { return m_mode; }
    void expectCommand() { m_mode = Mode::Command; }
    void expectData();               // DATA: text until CRLF "." CRLF
    void expectChunk(qint64 octets); // BDAT: exactly this many octets

    // Starts a new message body; DATA and BDAT chunks append to it. expectedSize (the MAIL
    // SIZE= parameter, or -1) lets the buffer be allocated once.
    void beginMessage(qint64 expectedSize = -1);
    QByteArray takeMessage();
    // Frees the body read so far; the rest is read and thrown away, as past maxMessageSize.
    void discardMessage();
    // What the body read so far holds in memory: its allocation, growth reserve included.
    qint64 messageCapacity() const { return m_message.capacity(); }
    const BodyStats &bodyStats() const { return m_stats; }

    QByteArray takeLine() { return std::exchange(m_line, {}); }
    bool lineEndedWithBareLf() const { return m_bareLfLine; }
    // Inside an AUTH exchange response lines may be as long as an AUTH command line.
    void setSaslResponseExpected(bool expected) { m_saslResponseExpected = expected; }

    qsizetype buffered() const { return m_buffer.size() - m_pos; }
    void discardBuffered();
    const Limits &limits() const { return m_limits; }
    void setLimits(const Limits &limits) { m_limits = limits; }

private:
    Event nextCommand();
    qsizetype commandLimit() const;
    Event nextData();
    qsizetype findCrlf(qsizetype from) const;
    Event nextChunk();
    void keep(QByteArrayView bytes);
    void noteLineContent(QByteArrayView content);
    void compact();

    Limits m_limits;
    Mode m_mode = Mode::Command;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    QByteArray m_line;
    bool m_bareLfLine = false;
    bool m_discardingLongLine = false;
    bool m_saslResponseExpected = false;

    QByteArray m_message;
    BodyStats m_stats;
    bool m_atLineStart = true;
    qsizetype m_lineLength = 0;
    qint64 m_chunkRemaining = 0;
};
