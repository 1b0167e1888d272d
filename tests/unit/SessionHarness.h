#pragma once

// A session over a scripted peer with a memory store, for the session's unit tests.
#include "ScriptedPeer.h"

#include "mime/MimeRuntime.h"
#include "server/SmtpSession.h"
#include "store/MemoryStore.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace {
const MimeRuntime mimeRuntime; // the store decodes headlines with GMime

const QByteArray kBody = "From: a@example.com\r\nSubject: test\r\n\r\nHello\r\n..dot\r\n";

QByteArray transaction(const QByteArray &from = "a@example.com", const QByteArray &body = kBody)
{
    return "MAIL FROM:<" + from + ">\r\nRCPT TO:<b@example.com>\r\nDATA\r\n" + body + ".\r\n";
}

SessionConfig configWith(const SmtpLimits &limits)
{
    SessionConfig config;
    config.hostname = "mx.test";
    config.limits = limits;
    return config;
}

struct Harness
{
    explicit Harness(const SmtpLimits &limits = {}) : Harness(configWith(limits)) {}
    explicit Harness(const SessionConfig &config)
    {
        peer = new ScriptedPeer;
        SessionRecord identity;
        identity.id = store.allocateSessionId();
        identity.peerAddress = QStringLiteral("192.0.2.7");
        session = new SmtpSession(peer, &store, config, identity);
        finished = std::make_unique<QSignalSpy>(session, &SmtpSession::finished);
        session->start();
    }
    ~Harness() { delete session; }

    // Feeds the input whole (step 0) or in pieces, letting queued store answers arrive.
    void send(const QByteArray &input, int step = 0)
    {
        const int chunk = step <= 0 ? int(input.size()) : step;
        for (qsizetype pos = 0; pos < input.size(); pos += chunk) {
            peer->feed(input.mid(pos, chunk));
            QCoreApplication::processEvents();
        }
    }
    // The replies after the greeting, each checked by its prefix ("250 2.1.0").
    bool repliesStartWith(const QList<QByteArray> &expected)
    {
        if (!waitForReplies(int(expected.size()) + 1))
            return false;
        QTest::qWait(20); // no further reply may follow
        const QList<QByteArray> replies = peer->replies().mid(1);
        bool ok = replies.size() == expected.size();
        for (qsizetype i = 0; ok && i < expected.size(); ++i)
            ok = replies[i].startsWith(expected[i]);
        if (!ok)
            qWarning() << "replies:" << replies << "expected:" << expected;
        return ok;
    }

    bool waitForReplies(int count)
    {
        return QTest::qWaitFor([&] { return peer->codes().size() >= count; }, 5000);
    }

    MemoryStore store;
    ScriptedPeer *peer;
    SmtpSession *session;
    std::unique_ptr<QSignalSpy> finished;
};
} // namespace
