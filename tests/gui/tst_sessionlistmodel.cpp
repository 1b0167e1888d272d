#include "SessionListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

namespace {
SessionRecord session(qint64 id, SessionEnd end = SessionEnd::Active)
{
    SessionRecord s;
    s.id = id;
    s.peerAddress = QStringLiteral("127.0.0.1");
    s.peerPort = quint16(40000 + id);
    s.startedMs = 1700000000000 + id;
    s.end = end;
    if (end != SessionEnd::Active)
        s.endedMs = s.startedMs + 250;
    return s;
}

TranscriptEntry entry(TranscriptEntry::Direction direction, const QByteArray &bytes)
{
    return TranscriptEntry{1700000000000, direction, bytes};
}
} // namespace

class tst_SessionListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void liveSessionLifecycle();
    void storedSessionsAndClear();
};

void tst_SessionListModel::liveSessionLifecycle()
{
    SessionListModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SessionListModel::SortRole);
    proxy.sort(SessionListModel::Started, Qt::DescendingOrder);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy appended(&model, &SessionListModel::transcriptAppended);

    model.sessionStarted(session(1));
    model.appendTranscript(1, {entry(TranscriptEntry::Direction::Server, "220 hi\r\n")});
    QCOMPARE(appended.count(), 1); // transcript lines are not batched: the pane follows live
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, SessionListModel::State).data().toString(), QStringLiteral("active"));

    model.appendTranscript(1, {entry(TranscriptEntry::Direction::Client, "EHLO x\r\n")});
    model.messageStored(1);
    model.messageStored(1);
    QTRY_COMPARE(model.index(0, SessionListModel::Messages).data().toInt(), 2);
    QCOMPARE(model.liveTranscript(1)->size(), 2);

    SessionRecord ended = session(1, SessionEnd::Error);
    ended.messageCount = 2;
    ended.helo = "client.example";
    ended.warnings = {QStringLiteral("lenient MAIL FROM")};
    model.sessionEnded(ended);
    QVERIFY(!model.liveTranscript(1)); // the store has it from now on
    QTRY_COMPARE(model.index(0, SessionListModel::Helo).data().toString(),
                 QStringLiteral("client.example"));
    QVERIFY(model.index(0, SessionListModel::State).data(Qt::DecorationRole).isValid());
    QCOMPARE(model.index(0, SessionListModel::Duration).data().toString(),
             QStringLiteral("250 ms"));

    // A session that starts and ends within one batch appears once, already ended.
    model.sessionStarted(session(2));
    model.sessionEnded(session(2, SessionEnd::Quit));
    model.flushPending();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, SessionListModel::State).data().toString(),
             sessionEndName(SessionEnd::Quit));
    QCOMPARE(proxy.index(0, 0).data(SessionListModel::IdRole).toLongLong(), 2);
}

void tst_SessionListModel::storedSessionsAndClear()
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.insertNow({session(5, SessionEnd::Quit), session(3, SessionEnd::Timeout)});
    model.sessionStarted(session(6));
    model.insertNow({session(4, SessionEnd::Quit), session(6)}); // 6 is known (queued)
    model.flushPending();
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.idAt(0), 3);
    QCOMPARE(model.rowOfId(6), 3);
    model.removeEnded();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.idAt(0), 6);
}

QTEST_MAIN(tst_SessionListModel)
#include "tst_sessionlistmodel.moc"
