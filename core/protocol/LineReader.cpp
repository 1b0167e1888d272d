#include "LineReader.h"

#include <cstring>
#include <utility>

void LineReader::append(QByteArrayView bytes)
{
    compact();
    m_buffer.append(bytes.data(), bytes.size());
}

void LineReader::compact()
{
    // Dropping consumed bytes only now and then keeps pipelined input linear in cost. All of
    // it consumed, the allocation goes too: a thousand idle sessions keep no read buffers.
    if (m_pos > 0 && m_pos == m_buffer.size()) {
        m_buffer.clear();
        m_pos = 0;
    } else if (m_pos > 64 * 1024) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

void LineReader::discardBuffered()
{
    m_buffer.clear();
    m_pos = 0;
    m_discardingLongLine = false;
}

LineReader::Event LineReader::next()
{
    switch (m_mode) {
    case Mode::Command:
        return nextCommand();
    case Mode::Data:
        return nextData();
    case Mode::Chunk:
        return nextChunk();
    }
    return Event::NeedMore;
}

qsizetype LineReader::commandLimit() const
{
    const QByteArrayView pending(m_buffer.constData() + m_pos, std::min<qsizetype>(buffered(), 5));
    const bool authCommand =
        pending.size() == 5 && pending.toByteArray().compare("AUTH ", Qt::CaseInsensitive) == 0;
    return authCommand || m_saslResponseExpected ? m_limits.maxAuthLine : m_limits.maxCommandLine;
}

LineReader::Event LineReader::nextCommand()
{
    qsizetype lf = m_buffer.indexOf('\n', m_pos);
    if (m_discardingLongLine) {
        if (lf < 0) {
            m_pos = m_buffer.size();
            return Event::NeedMore;
        }
        m_pos = lf + 1;
        m_discardingLongLine = false;
        lf = m_buffer.indexOf('\n', m_pos);
    }
    if (lf < 0) {
        if (buffered() > commandLimit()) {
            m_pos = m_buffer.size();
            m_discardingLongLine = true;
            return Event::CommandTooLong;
        }
        return Event::NeedMore;
    }
    const qsizetype start = m_pos;
    const qsizetype limit = commandLimit();
    m_pos = lf + 1;
    if (lf + 1 - start > limit)
        return Event::CommandTooLong;
    m_bareLfLine = lf == start || m_buffer[lf - 1] != '\r';
    m_line = m_buffer.mid(start, lf - start - (m_bareLfLine ? 0 : 1));
    return Event::CommandLine;
}

void LineReader::expectData()
{
    m_mode = Mode::Data;
    m_atLineStart = true; // the CRLF of the DATA command counts as the line before
    m_lineLength = 0;
}

void LineReader::expectChunk(qint64 octets)
{
    m_mode = Mode::Chunk;
    m_chunkRemaining = octets;
}

void LineReader::beginMessage(qint64 expectedSize)
{
    m_message = QByteArray();
    if (expectedSize > 0)
        m_message.reserve(qsizetype(std::min(expectedSize, m_limits.maxMessageSize)));
    m_stats = BodyStats{};
}

void LineReader::discardMessage()
{
    m_stats.overflow = true;
    m_message = QByteArray();
}

QByteArray LineReader::takeMessage()
{
    m_message.squeeze(); // the growth reserve would otherwise be kept as long as the message
    return std::exchange(m_message, {});
}

void LineReader::keep(QByteArrayView bytes)
{
    m_stats.size += bytes.size();
    if (m_stats.overflow)
        return;
    if (m_stats.size > m_limits.maxMessageSize) {
        m_stats.overflow = true;
        m_message = QByteArray(); // free it now: the rest is read and thrown away
        return;
    }
    m_message.append(bytes.data(), bytes.size());
}

namespace {
// Whether any byte has its high bit set, eight bytes at a time.
bool hasEightBitByte(QByteArrayView bytes)
{
    constexpr quint64 kHighs = 0x8080808080808080ULL;
    const char *p = bytes.data();
    const char *end = p + bytes.size();
    quint64 seen = 0;
    for (; end - p >= 8; p += 8) {
        quint64 word;
        memcpy(&word, p, 8);
        seen |= word;
    }
    for (; p < end; ++p)
        seen |= uchar(*p);
    return (seen & kHighs) != 0;
}
} // namespace

void LineReader::noteLineContent(QByteArrayView content)
{
    // Each question is asked only until it is answered yes; memchr and the word-wise test of
    // the high bits cost a fraction of an instruction per byte.
    const auto contains = [content](char c) {
        return memchr(content.data(), c, size_t(content.size())) != nullptr;
    };
    if (!m_stats.bareLf && contains('\n'))
        m_stats.bareLf = true;
    if (!m_stats.bareCr && contains('\r'))
        m_stats.bareCr = true;
    if (!m_stats.nulByte && contains('\0'))
        m_stats.nulByte = true;
    if (!m_stats.eightBit && hasEightBitByte(content))
        m_stats.eightBit = true;
}

qsizetype LineReader::findCrlf(qsizetype from) const
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    while (from < size) {
        const void *lf = memchr(data + from, '\n', size_t(size - from));
        if (!lf)
            return -1;
        const qsizetype at = static_cast<const char *>(lf) - data;
        if (at > m_pos && data[at - 1] == '\r')
            return at - 1;
        from = at + 1; // a bare LF: part of the line
    }
    return -1;
}

LineReader::Event LineReader::nextData()
{
    // Lines are scanned one by one but copied in runs: only a stuffed dot interrupts a run.
    qsizetype runStart = m_pos;
    auto keepRun = [&] {
        keep(QByteArrayView(m_buffer.constData() + runStart, m_pos - runStart));
        runStart = m_pos;
    };
    while (m_pos < m_buffer.size()) {
        if (m_atLineStart && m_buffer[m_pos] == '.') {
            keepRun();
            if (buffered() < 3)
                return Event::NeedMore; // ".", ".\r": cannot tell the end from a stuffed dot
            if (m_buffer[m_pos + 1] == '\r' && m_buffer[m_pos + 2] == '\n') {
                m_pos += 3;
                m_mode = Mode::Command;
                return Event::DataComplete;
            }
            runStart = ++m_pos; // dot-unstuffing
            m_lineLength = 1;
        }
        m_atLineStart = false;
        const qsizetype crlf = findCrlf(m_pos);
        if (crlf < 0) {
            // Keep a trailing CR: the LF that may follow decides whether it ends the line.
            qsizetype end = m_buffer.size();
            if (m_buffer[end - 1] == '\r')
                --end;
            noteLineContent(QByteArrayView(m_buffer.constData() + m_pos, end - m_pos));
            m_lineLength += end - m_pos;
            m_pos = end;
            keepRun();
            return Event::NeedMore;
        }
        noteLineContent(QByteArrayView(m_buffer.constData() + m_pos, crlf - m_pos));
        m_lineLength += crlf - m_pos + 2;
        m_stats.longestLine = std::max(m_stats.longestLine, m_lineLength);
        ++m_stats.lines;
        m_lineLength = 0;
        m_atLineStart = true;
        m_pos = crlf + 2;
    }
    keepRun();
    return Event::NeedMore;
}

LineReader::Event LineReader::nextChunk()
{
    const qint64 take = std::min<qint64>(m_chunkRemaining, buffered());
    const QByteArrayView part(m_buffer.constData() + m_pos, take);
    if (part.contains('\0'))
        m_stats.nulByte = true;
    keep(part);
    m_pos += take;
    m_chunkRemaining -= take;
    if (m_chunkRemaining > 0)
        return Event::NeedMore;
    m_mode = Mode::Command;
    return Event::ChunkComplete;
}
