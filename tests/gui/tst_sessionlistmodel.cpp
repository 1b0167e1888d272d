#include "SessionListModel.h"
#include "SortCases.h"
#include "SourceOrderFilterModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
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

// Ended sessions whose columns each sort differently from id order, with ties.
SessionRecord varied(qint64 id)
{
    SessionRecord s = session(id, id % 4 == 0 ? SessionEnd::Timeout : SessionEnd::Quit);
    s.peerAddress = QStringLiteral("10.0.0.%1").arg(id % 3);
    s.peerPort = quint16(1000 + id * 7 % 11);
    s.helo = id % 2 ? "Client.example" : "bench";
    s.startedMs = 1700000000000 + (id * 37 % 53) * 1000;
    s.endedMs = s.startedMs + (id * 13 % 17) * 100;
    s.messageCount = int(id % 5);
    if (id % 3 == 0)
        s.tls.protocol = QStringLiteral("TLSv1.3");
    return s;
}

// The order each column means, spelled out independently of the model: <0, 0 or >0.
int compareColumn(const SessionRecord &a, const SessionRecord &b, int column)
{
    const auto three = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (column) {
    case SessionListModel::Peer:
        return a.peerAddress != b.peerAddress ? a.peerAddress.compare(b.peerAddress)
                                              : three(a.peerPort, b.peerPort);
    case SessionListModel::Helo:
        return QString::fromUtf8(a.helo).compare(QString::fromUtf8(b.helo), Qt::CaseInsensitive);
    case SessionListModel::Started:
        return three(a.startedMs, b.startedMs);
    case SessionListModel::Duration:
        return three(a.endedMs - a.startedMs, b.endedMs - b.startedMs);
    case SessionListModel::Messages:
        return three(a.messageCount, b.messageCount);
    case SessionListModel::Security:
        return a.tls.protocol.compare(b.tls.protocol);
    default:
        return three(int(a.end), int(b.end));
    }
}

// Empty when `model` lists its sessions in the order of `column`, ties by id, both reversed
// for a descending sort; otherwise where it is wrong.
QString orderProblem(const SessionListModel &model, int column, Qt::SortOrder order)
{
    for (int row = 1; row < model.rowCount(); ++row) {
        const SessionRecord &a = model.sessionAt(row - 1);
        const SessionRecord &b = model.sessionAt(row);
        const int c = compareColumn(a, b, column);
        if ((c < 0 || (c == 0 && a.id < b.id)) != (order == Qt::AscendingOrder))
            return QStringLiteral("rows %1 and %2 out of order").arg(row - 1).arg(row);
    }
    return QString();
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
    void sortsEachColumnBothWays_data();
    void sortsEachColumnBothWays();
    void activeSessionsMoveInDurationSort();
    void changedRowMovesToItsPlace();
};

void tst_SessionListModel::liveSessionLifecycle()
{
    SessionListModel model;
    SourceOrderFilterModel proxy(&model);
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
    QCOMPARE(model.index(0, SessionListModel::State).data().toString(),
             sessionEndName(SessionEnd::Quit)); // the newest first
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

void tst_SessionListModel::sortsEachColumnBothWays_data()
{
    addSortCases(SessionListModel::ColumnCount);
}

void tst_SessionListModel::sortsEachColumnBothWays()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    SessionListModel model;
    SourceOrderFilterModel proxy(&model);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterKeyColumn(-1);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<SessionRecord> stored;
    for (qint64 id = 1; id <= 40; ++id)
        stored.append(varied(id));
    model.insertNow(stored);
    proxy.sort(column, order);
    QCOMPARE(orderProblem(model, column, order), QString());

    // Live sessions land in order, and a session whose sort key changes moves.
    for (qint64 id = 41; id <= 80; ++id) {
        model.sessionStarted(varied(id));
        model.sessionEnded(varied(id));
    }
    model.flushPending();
    QCOMPARE(model.rowCount(), 80);
    QCOMPARE(orderProblem(model, column, order), QString());
    SessionRecord active = varied(81);
    active.end = SessionEnd::Active;
    active.endedMs = 0;
    model.sessionStarted(active);
    model.flushPending();
    SessionRecord ended = varied(81);
    ended.messageCount = 9;
    ended.helo = "AAA";
    model.sessionEnded(ended);
    model.flushPending();
    QCOMPARE(model.index(model.rowOfId(81), SessionListModel::Messages).data().toInt(), 9);
    QCOMPARE(orderProblem(model, column, order), QString());

    // The search keeps the order of what it shows.
    proxy.setFilterFixedString(QStringLiteral("client.example"));
    QCOMPARE(proxy.rowCount(), 40);
    for (int row = 1; row < proxy.rowCount(); ++row) {
        const int left = proxy.mapToSource(proxy.index(row - 1, 0)).row();
        const int right = proxy.mapToSource(proxy.index(row, 0)).row();
        QVERIFY(left < right);
    }
}

void tst_SessionListModel::activeSessionsMoveInDurationSort()
{
    // An ended session of 1.5 s and an active one of a moment: the active one sorts first, and
    // after a second or two of the duration clock it has overtaken the ended one.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    SessionRecord ended = session(1, SessionEnd::Quit);
    ended.startedMs = now - 1600;
    ended.endedMs = now - 100;
    SessionRecord active = session(2);
    active.startedMs = now;
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(SessionListModel::Duration, Qt::AscendingOrder);
    model.insertNow({ended, active});
    QCOMPARE(model.idAt(0), 2);
    QTRY_COMPARE_WITH_TIMEOUT(model.idAt(0), 1, 5000);
    QCOMPARE(model.idAt(1), 2);
}

void tst_SessionListModel::changedRowMovesToItsPlace()
{
    // One changed row among many is taken out and put back where it now sorts, in one layout
    // change; the rest keep their order, and a selection follows its session.
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(SessionListModel::Messages, Qt::AscendingOrder);
    QList<SessionRecord> stored;
    for (qint64 id = 1; id <= 80; ++id)
        stored.append(varied(id));
    SessionRecord active = session(100);
    stored.append(active);
    model.insertNow(stored);
    const QPersistentModelIndex followed = model.index(model.rowOfId(100), 0);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    for (int i = 0; i < 3; ++i)
        model.messageStored(100);
    model.flushPending();
    QCOMPARE(layout.count(), 1);
    QCOMPARE(followed.row(), model.rowOfId(100));
    QCOMPARE(orderProblem(model, SessionListModel::Messages, Qt::AscendingOrder), QString());
    QCOMPARE(model.sessionAt(model.rowOfId(100)).messageCount, 3);
}

QTEST_MAIN(tst_SessionListModel)
#include "tst_sessionlistmodel.moc"
