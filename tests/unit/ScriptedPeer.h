#pragma once

#include <QIODevice>
#include <QList>

#include <utility>

// The far end of an SMTP session in tests: bytes fed here are what the client "sent"; what the
// session writes is collected in written().
// No Q_OBJECT: it adds no signals or slots of its own.
class ScriptedPeer : public QIODevice
{
public:
    ScriptedPeer() { open(QIODevice::ReadWrite | QIODevice::Unbuffered); }

    void feed(const QByteArray &bytes)
    {
        m_incoming += bytes;
        Q_EMIT readyRead();
    }
    void hangUp() { Q_EMIT readChannelFinished(); }
    const QByteArray &written() const { return m_written; }

    // While the client does not read, what the session writes waits as bytesToWrite(), as in a
    // socket whose peer has stopped reading; readReplies() takes it all into written().
    void stopReading() { m_reading = false; }
    void readReplies()
    {
        const qint64 taken = m_unread.size();
        m_written += std::exchange(m_unread, {});
        Q_EMIT bytesWritten(taken);
    }
    qint64 bytesToWrite() const override { return m_unread.size(); }

    // The final line of each reply, e.g. "250 2.1.0 Sender OK".
    QList<QByteArray> replies() const
    {
        QList<QByteArray> finals;
        for (const QByteArray &line : m_written.split('\n')) {
            if (line.size() >= 4 && line[3] == ' ')
                finals.append(line.trimmed());
        }
        return finals;
    }
    QList<int> codes() const
    {
        QList<int> result;
        for (const QByteArray &reply : replies())
            result.append(reply.left(3).toInt());
        return result;
    }

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_incoming.size() + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_incoming.size());
        memcpy(data, m_incoming.constData(), size_t(n));
        m_incoming.remove(0, n);
        return n;
    }
    qint64 writeData(const char *data, qint64 size) override
    {
        (m_reading ? m_written : m_unread).append(data, size);
        return size;
    }

private:
    QByteArray m_incoming;
    QByteArray m_written;
    QByteArray m_unread;
    bool m_reading = true;
};
