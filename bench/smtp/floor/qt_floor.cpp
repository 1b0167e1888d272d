// A minimal SMTP sink in the product's shape: QTcpServer, one QObject per connection, Qt's poll()
// dispatcher. It answers every command with a canned reply and discards every message, so that
// its throughput is what no SMTP server built this way can exceed on the machine.
//
//   qt_floor PORT          one QTcpSocket per connection (as smtpeek)
//   qt_floor PORT --raw    the bare descriptor and one QSocketNotifier instead
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
const QByteArray kGreeting = "220 qt-floor ESMTP\r\n";

// Commands in, replies out; in DATA mode only the end-of-data line is looked for.
class Conversation
{
public:
    QByteArray feed(const char *bytes, qsizetype size, bool *quit)
    {
        m_input.append(bytes, size);
        QByteArray replies;
        qsizetype pos = 0;
        while (true) {
            if (m_inData) {
                const qsizetype end = m_input.indexOf("\r\n.\r\n", std::max<qsizetype>(0, pos - 2));
                if (end < 0) {
                    pos = std::max(pos, m_input.size() - 4); // keep a partial terminator
                    break;
                }
                pos = end + 5;
                m_inData = false;
                replies += "250 2.0.0 Ok: queued\r\n";
                continue;
            }
            const qsizetype end = m_input.indexOf("\r\n", pos);
            if (end < 0)
                break;
            const QByteArray verb = m_input.mid(pos, 4).toUpper();
            pos = end + 2;
            if (verb == "EHLO") {
                replies += "250-qt-floor\r\n250-PIPELINING\r\n250 8BITMIME\r\n";
            } else if (verb == "DATA") {
                replies += "354 End data with <CR><LF>.<CR><LF>\r\n";
                m_inData = true;
            } else if (verb == "QUIT") {
                replies += "221 2.0.0 Bye\r\n";
                *quit = true;
                break;
            } else {
                replies += "250 2.0.0 Ok\r\n";
            }
        }
        m_input.remove(0, pos);
        return replies;
    }

private:
    QByteArray m_input;
    bool m_inData = false;
};

class SocketSession : public QObject
{
public:
    SocketSession(qintptr descriptor, QObject *parent)
        : QObject(parent), m_socket(new QTcpSocket(this))
    {
        m_socket->setSocketDescriptor(descriptor);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            const QByteArray input = m_socket->readAll();
            bool quit = false;
            const QByteArray replies = m_conversation.feed(input.constData(), input.size(), &quit);
            m_socket->write(replies);
            m_socket->flush();
            if (quit)
                m_socket->disconnectFromHost();
        });
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        m_socket->write(kGreeting);
        m_socket->flush();
    }

private:
    QTcpSocket *m_socket;
    Conversation m_conversation;
};

class RawSession : public QObject
{
public:
    RawSession(qintptr descriptor, QObject *parent)
        : QObject(parent), m_fd(int(descriptor)),
          m_notifier(descriptor, QSocketNotifier::Read, this)
    {
        const int on = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        send(kGreeting);
        connect(&m_notifier, &QSocketNotifier::activated, this, [this] {
            char buffer[64 * 1024];
            const ssize_t got = ::read(m_fd, buffer, sizeof buffer);
            if (got < 0 && errno == EAGAIN)
                return;
            bool quit = got <= 0;
            if (got > 0)
                send(m_conversation.feed(buffer, got, &quit));
            if (quit) {
                m_notifier.setEnabled(false);
                ::close(m_fd);
                deleteLater();
            }
        });
    }

private:
    void send(const QByteArray &bytes)
    {
        if (!bytes.isEmpty() && ::write(m_fd, bytes.constData(), size_t(bytes.size())) < 0)
            std::perror("write");
    }

    int m_fd;
    QSocketNotifier m_notifier;
    Conversation m_conversation;
};

class FloorServer : public QTcpServer
{
public:
    explicit FloorServer(bool raw) : m_raw(raw) {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (m_raw)
            new RawSession(descriptor, this);
        else
            new SocketSession(descriptor, this);
    }

private:
    bool m_raw;
};
} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_NO_GLIB", "1"); // as smtpeek headless
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: qt_floor PORT [--raw]\n");
        return 2;
    }
    FloorServer server(argc > 2 && std::strcmp(argv[2], "--raw") == 0);
    if (!server.listen(QHostAddress::LocalHost, quint16(std::atoi(argv[1])))) {
        std::fprintf(stderr, "qt_floor: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    return app.exec();
}
