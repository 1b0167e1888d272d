#pragma once

// A blocking SMTP client for GUI tests. It runs in a thread of its own (QTcpSocket's waitFor*
// functions work without an event loop), so the test's GUI thread keeps processing events while
// the conversation happens, exactly as with a real client.

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <future>
#include <thread>

struct SmtpTestResult
{
    bool ok = false;
    QByteArray log; // every reply, for failure messages
};

inline SmtpTestResult runSmtpConversation(quint16 port, const QByteArray &from,
                                          const QList<QByteArray> &to, const QByteArray &raw)
{
    SmtpTestResult result;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000)) {
        result.log = socket.errorString().toUtf8();
        return result;
    }
    // Reads one (possibly multi-line) reply and returns its code.
    const auto reply = [&socket, &result]() -> int {
        QByteArray line;
        for (;;) {
            while (!socket.canReadLine()) {
                if (!socket.waitForReadyRead(10000))
                    return -1;
            }
            line = socket.readLine();
            result.log += line;
            if (line.size() < 4 || line[3] != '-')
                return line.left(3).toInt();
        }
    };
    const auto command = [&](const QByteArray &text, int expected) {
        socket.write(text + "\r\n");
        return reply() == expected;
    };
    if (reply() != 220 || !command("EHLO gui-test.example", 250) ||
        !command("MAIL FROM:<" + from + ">", 250))
        return result;
    for (const QByteArray &rcpt : to) {
        if (!command("RCPT TO:<" + rcpt + ">", 250))
            return result;
    }
    if (!command("DATA", 354))
        return result;
    // Dot-stuffing: the server removes one leading dot per line.
    QByteArray stuffed = raw;
    stuffed.replace("\r\n.", "\r\n..");
    if (stuffed.startsWith('.'))
        stuffed.prepend('.');
    if (!stuffed.endsWith("\r\n"))
        stuffed += "\r\n";
    socket.write(stuffed + ".\r\n");
    if (reply() != 250)
        return result;
    result.ok = command("QUIT", 221);
    socket.disconnectFromHost();
    return result;
}

// Starts the conversation in a thread; get() the future after the test has seen the effects.
inline std::future<SmtpTestResult> sendMail(quint16 port, const QByteArray &from,
                                            const QList<QByteArray> &to, const QByteArray &raw)
{
    return std::async(std::launch::async, [=] { return runSmtpConversation(port, from, to, raw); });
}
