#include "MessageFilterModel.h"
#include "MessageListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {
MessageSummary summary(qint64 id, const QString &subject, const QString &from = QString(),
                       bool read = false)
{
    MessageSummary s;
    s.id = id;
    s.sessionId = 100 + id;
    s.receivedMs = 1700000000000 + id * 1000;
    s.size = 1000 + id;
    s.headline.subject = subject;
    s.headline.from = from.isEmpty() ? QStringLiteral("sender%1@example.com").arg(id) : from;
    s.headline.to = QStringLiteral("rcpt@example.com");
    s.read = read;
    return s;
}
} // namespace

class tst_MessageListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesLiveMail();
    void insertsOutOfOrderAndSkipsKnownIds();
    void removesRunsAndCountsUnread();
    void readStateAndBold();
    void sortsAndFilters();
    void clearForgetsQueuedMail();
};

void tst_MessageListModel::batchesLiveMail()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy arrived(&model, &MessageListModel::messagesArrived);
    for (int i = 1; i <= 500; ++i)
        model.enqueue(summary(i, QStringLiteral("s%1").arg(i)));
    QCOMPARE(model.rowCount(), 0); // nothing until the batch timer fires
    QTRY_COMPARE(model.rowCount(), 500);
    QCOMPARE(inserted.count(), 1); // one beginInsertRows for the whole batch
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 499);
    QCOMPARE(arrived.count(), 1);
    QCOMPARE(arrived.first().at(0).toInt(), 500);
    QCOMPARE(arrived.first().at(1).toString(), QStringLiteral("s500"));
    QCOMPARE(model.unreadCount(), 500);
}

void tst_MessageListModel::insertsOutOfOrderAndSkipsKnownIds()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.insertNow({summary(10, QStringLiteral("a")), summary(20, QStringLiteral("b"))});
    model.insertNow({summary(1, QStringLiteral("old")), summary(2, QStringLiteral("older"))});
    model.insertNow({summary(15, QStringLiteral("between")), summary(20, QStringLiteral("dup"))});
    model.enqueue(summary(10, QStringLiteral("dup again")));
    model.flushPending();
    QCOMPARE(model.rowCount(), 5);
    const QList<qint64> expected = {1, 2, 10, 15, 20};
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.idAt(row), expected[row]);
    QCOMPARE(model.rowOfId(15), 3);
    QCOMPARE(model.rowOfId(16), -1);
    QCOMPARE(model.subjectAt(4), QStringLiteral("b"));
}

void tst_MessageListModel::removesRunsAndCountsUnread()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<MessageSummary> all;
    for (int i = 1; i <= 300; ++i)
        all.append(summary(i, QString(), QString(), i % 2 == 0));
    model.insertNow(all);
    QCOMPARE(model.unreadCount(), 150);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.removeIds({5, 6, 7, 100, 999});
    QCOMPARE(removed.count(), 2); // runs 5..7 and 100
    QCOMPARE(model.rowCount(), 296);
    QCOMPARE(model.unreadCount(), 148); // 5 and 7 were unread
    // Many scattered ids: one reset instead of hundreds of removals.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QList<qint64> everyThird;
    for (int i = 3; i <= 300; i += 3)
        everyThird.append(i);
    model.removeIds(everyThird);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowOfId(3), -1);
    QVERIFY(model.rowOfId(4) >= 0);
}

void tst_MessageListModel::readStateAndBold()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.insertNow({summary(1, QStringLiteral("a")), summary(2, QStringLiteral("b"))});
    QVERIFY(model.index(0, MessageListModel::Subject).data(Qt::FontRole).value<QFont>().bold());
    QSignalSpy unread(&model, &MessageListModel::unreadCountChanged);
    model.setRead({1}, true);
    QCOMPARE(unread.count(), 1);
    QCOMPARE(model.unreadCount(), 1);
    QVERIFY(!model.index(0, MessageListModel::Subject).data(Qt::FontRole).isValid());
    model.setRead({1}, true); // no change, no signal
    QCOMPARE(unread.count(), 1);
    model.setRead({1, 2}, false);
    QCOMPARE(model.unreadCount(), 2);
}

void tst_MessageListModel::sortsAndFilters()
{
    MessageListModel model;
    MessageFilterModel proxy(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.insertNow(
        {summary(1, QStringLiteral("Invoice 7"), QStringLiteral("billing@shop.test")),
         summary(2, QStringLiteral("Welcome"), QStringLiteral("hello@app.test")),
         summary(3, QStringLiteral("Reset your password"), QStringLiteral("security@app.test"))});
    proxy.sort(MessageListModel::Received, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data(MessageListModel::IdRole).toLongLong(), 3);
    proxy.sort(MessageListModel::Subject, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, MessageListModel::Subject).data().toString(),
             QStringLiteral("Invoice 7"));
    proxy.setSearchText(QStringLiteral("APP.TEST"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSearchText(QStringLiteral("invoice"));
    QCOMPARE(proxy.rowCount(), 1);
    // Live mail that matches the search shows up; mail that does not stays hidden.
    model.enqueue(summary(4, QStringLiteral("Second invoice")));
    model.enqueue(summary(5, QStringLiteral("Newsletter")));
    model.flushPending();
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSearchText(QString());
    QCOMPARE(proxy.rowCount(), 5);
}

void tst_MessageListModel::clearForgetsQueuedMail()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.insertNow({summary(1, QStringLiteral("a"))});
    model.enqueue(summary(2, QStringLiteral("b")));
    model.clear();
    QTest::qWait(model.batchInterval() * 2);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.unreadCount(), 0);
}

QTEST_MAIN(tst_MessageListModel)
#include "tst_messagelistmodel.moc"
