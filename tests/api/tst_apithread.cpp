// The desktop's API runs in an ApiThread: it answers while the thread that started it (the GUI
// thread) is busy, and it goes away cleanly.
#include "ApiServer.h"
#include "ApiThread.h"

#include "store/MemoryStore.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

namespace {
ApiSettings loopbackSettings(quint16 port = 0)
{
    ApiSettings settings;
    settings.port = port;
    return settings;
}

// One GET over a plain socket in a thread of its own; the status line, or empty.
QByteArray fetchStatusLine(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray response;
    while (!response.contains("\r\n") && socket.waitForReadyRead(5000))
        response += socket.readAll();
    return response.left(response.indexOf("\r\n"));
}
} // namespace

class tst_ApiThread : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answersWhileTheStartingThreadIsBusy()
    {
        MemoryStore store;
        ApiThread api;
        QString error;
        QVERIFY2(api.start(loopbackSettings(), {&store, nullptr, nullptr, {}, nullptr}, &error),
                 qPrintable(error));
        QVERIFY(api.port() != 0);

        std::atomic<bool> answered = false;
        QByteArray status;
        std::unique_ptr<QThread> client(QThread::create([&] {
            status = fetchStatusLine(api.port(), "/api/v1/info");
            answered = true;
        }));
        client->start();
        // This thread runs no events meanwhile, as a GUI thread painting a long frame would not.
        for (int i = 0; i < 100 && !answered; ++i)
            QThread::msleep(50);
        const bool answeredWhileBusy = answered;
        client->wait();
        QVERIFY2(answeredWhileBusy, "the API waited for the thread that started it");
        QCOMPARE(status, QByteArray("HTTP/1.1 200 OK"));
    }

    void disabledApiRunsNothing()
    {
        MemoryStore store;
        ApiThread api;
        ApiSettings settings = loopbackSettings();
        settings.enabled = false;
        QString error;
        QVERIFY(!api.start(settings, {&store, nullptr, nullptr, {}, nullptr}, &error));
        QVERIFY(!api.isRunning());
        QVERIFY(error.isEmpty());
    }

    void portInUseIsReported()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        MemoryStore store;
        ApiThread api;
        QString error;
        QVERIFY(!api.start(loopbackSettings(taken.serverPort()), {&store, nullptr, nullptr, {}, nullptr},
                           &error));
        QVERIFY(!api.isRunning());
        QVERIFY2(!error.isEmpty(), "no reason given");
    }

    void restartsAfterTheThreadIsGone()
    {
        MemoryStore store;
        quint16 port = 0;
        {
            ApiThread api;
            QString error;
            QVERIFY2(api.start(loopbackSettings(), {&store, nullptr, nullptr, {}, nullptr}, &error),
                     qPrintable(error));
            port = api.port();
        }
        // The first server closed its port when its thread ended, so it can be bound again.
        ApiThread again;
        QString error;
        QVERIFY2(again.start(loopbackSettings(port), {&store, nullptr, nullptr, {}, nullptr}, &error),
                 qPrintable(error));
        QCOMPARE(fetchStatusLine(port, "/livez"), QByteArray("HTTP/1.1 200 OK"));
    }
};

QTEST_GUILESS_MAIN(tst_ApiThread)
#include "tst_apithread.moc"
