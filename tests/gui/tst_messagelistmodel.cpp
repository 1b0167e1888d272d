#include "MessageFilterModel.h"
#include "MessageListModel.h"
#include "SortCases.h"

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

// Values that put every column in an order of its own, with ties and mixed case.
MessageSummary varied(qint64 id)
{
    static const QStringList words = {QStringLiteral("beta"), QStringLiteral("Alpha"),
                                      QStringLiteral("gamma"), QStringLiteral("ALPHA"),
                                      QStringLiteral("Delta")};
    // Long common beginnings and equal texts, as real subjects and senders have.
    MessageSummary s = summary(
        id, QStringLiteral("Your order confirmation: %1 %2").arg(words[id % 5]).arg(id * 7919 % 97),
        QStringLiteral("%1 notifications <no-reply@%2.example>").arg(words[id * 3 % 5]).arg(id % 7),
        id % 3 == 0);
    s.headline.to = QStringLiteral("%1@example.com").arg(words[id * 2 % 5]);
    s.receivedMs = 1700000000000 + (id * 37 % 53) * 1000;
    s.size = 1000 + id * 13 % 41;
    s.headline.hasAttachments = id % 2 == 0;
    s.warningCount = int(id % 4);
    s.relay = RelayMark(id % 5);
    return s;
}

// The order each column means, spelled out independently of the model: <0, 0 or >0.
int compareColumn(const MessageSummary &a, const MessageSummary &b, int column)
{
    const auto three = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    switch (column) {
    case MessageListModel::Received:
        return three(a.receivedMs, b.receivedMs);
    case MessageListModel::From:
        return a.headline.from.compare(b.headline.from, Qt::CaseInsensitive);
    case MessageListModel::To:
        return a.headline.to.compare(b.headline.to, Qt::CaseInsensitive);
    case MessageListModel::Subject:
        return a.headline.subject.compare(b.headline.subject, Qt::CaseInsensitive);
    case MessageListModel::Size:
        return three(a.size, b.size);
    case MessageListModel::Attachment:
        return three(a.headline.hasAttachments, b.headline.hasAttachments);
    case MessageListModel::Relay:
        return three(int(a.relay), int(b.relay));
    default:
        return three(a.warningCount, b.warningCount);
    }
}

// Empty when `model` lists exactly the messages `expectedIds` in the order of `column`, ties
// by id, both reversed for a descending sort; otherwise what is wrong.
QString orderProblem(const QAbstractItemModel &model, const QHash<qint64, MessageSummary> &byId,
                     const QList<qint64> &expectedIds, int column, Qt::SortOrder order)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(MessageListModel::IdRole).toLongLong());
    for (int row = 1; row < ids.size(); ++row) {
        const int c = compareColumn(byId[ids[row - 1]], byId[ids[row]], column);
        const bool ascending = c < 0 || (c == 0 && ids[row - 1] < ids[row]);
        if (ascending != (order == Qt::AscendingOrder))
            return QStringLiteral("rows %1 and %2 (ids %3, %4) out of order")
                .arg(row - 1)
                .arg(row)
                .arg(ids[row - 1])
                .arg(ids[row]);
    }
    QList<qint64> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    QList<qint64> expected = expectedIds;
    std::sort(expected.begin(), expected.end());
    return sorted == expected ? QString() : QStringLiteral("the wrong rows are listed");
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
    void sortsEachColumnBothWays_data();
    void sortsEachColumnBothWays();
    void newestMailIsOneInsertAtTheTop();
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
    model.removeIds({9, 9});            // an id twice is one row, counted once
    QCOMPARE(model.rowCount(), 295);
    QCOMPARE(model.unreadCount(), 147);
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

void tst_MessageListModel::sortsEachColumnBothWays_data()
{
    addSortCases(MessageListModel::ColumnCount);
}

void tst_MessageListModel::sortsEachColumnBothWays()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    MessageListModel model;
    MessageFilterModel proxy(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QHash<qint64, MessageSummary> byId;
    QList<qint64> ids;
    QList<MessageSummary> stored;
    for (qint64 id = 70; id >= 11; --id) {
        stored.append(varied(id));
        byId.insert(id, stored.last());
        ids.append(id);
    }
    model.insertNow(stored);
    QPersistentModelIndex selected = proxy.index(model.rowOfId(40), MessageListModel::Subject);

    proxy.sort(column, order); // as the view's header does
    QCOMPARE(model.sortColumn(), column);
    QCOMPARE(model.sortOrder(), order);
    QCOMPARE(orderProblem(model, byId, ids, column, order), QString());
    // What the view had selected is still the same message.
    QCOMPARE(selected.data(MessageListModel::IdRole).toLongLong(), 40);
    QCOMPARE(selected.column(), int(MessageListModel::Subject));
    QCOMPARE(proxy.mapToSource(selected).row(), model.rowOfId(40));

    // Live mail lands where the sort puts it: a large batch spread everywhere, a small one.
    for (qint64 id = 71; id <= 110; ++id) {
        model.enqueue(varied(id));
        byId.insert(id, varied(id));
        ids.append(id);
    }
    model.flushPending();
    QCOMPARE(orderProblem(model, byId, ids, column, order), QString());
    for (qint64 id : {111, 112, 113}) {
        model.enqueue(varied(id));
        byId.insert(id, varied(id));
        ids.append(id);
    }
    model.flushPending();
    QCOMPARE(orderProblem(model, byId, ids, column, order), QString());
    QCOMPARE(selected.data(MessageListModel::IdRole).toLongLong(), 40);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowOfId(model.idAt(row)), row);

    // Older mail (the initial load after live mail) and removals keep the order too.
    model.insertNow({varied(1), varied(2)});
    byId.insert(1, varied(1));
    byId.insert(2, varied(2));
    ids << 1 << 2;
    model.removeIds({17, 18, 19, 65, 112});
    for (qint64 id : {17, 18, 19, 65, 112})
        ids.removeOne(id);
    QCOMPARE(orderProblem(model, byId, ids, column, order), QString());

    // The search hides rows and keeps the order of the rest.
    proxy.setSearchText(QStringLiteral("alpha"));
    QList<qint64> alpha;
    for (qint64 id : std::as_const(ids)) {
        if (byId[id].headline.subject.contains(QStringLiteral("alpha"), Qt::CaseInsensitive) ||
            byId[id].headline.from.contains(QStringLiteral("alpha"), Qt::CaseInsensitive) ||
            byId[id].headline.to.contains(QStringLiteral("alpha"), Qt::CaseInsensitive))
            alpha.append(id);
    }
    QVERIFY(alpha.size() < ids.size());
    QCOMPARE(orderProblem(proxy, byId, alpha, column, order), QString());
    model.enqueue(varied(114));
    byId.insert(114, varied(114)); // to ALPHA@…: shown
    alpha.append(114);
    model.flushPending();
    QCOMPARE(orderProblem(proxy, byId, alpha, column, order), QString());

    // The other direction is the same order reversed.
    const Qt::SortOrder other =
        order == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder;
    proxy.sort(column, other);
    QCOMPARE(orderProblem(proxy, byId, alpha, column, other), QString());
    proxy.setSearchText(QString());
    ids.append(114);
    QCOMPARE(orderProblem(model, byId, ids, column, other), QString());
}

void tst_MessageListModel::newestMailIsOneInsertAtTheTop()
{
    MessageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.sort(MessageListModel::Received, Qt::DescendingOrder);
    QList<MessageSummary> stored;
    for (int i = 1; i <= 100; ++i)
        stored.append(summary(i, QStringLiteral("old")));
    model.insertNow(stored);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy relayouts(&model, &QAbstractItemModel::layoutChanged);
    for (int i = 101; i <= 180; ++i)
        model.enqueue(summary(i, QStringLiteral("new")));
    model.flushPending();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 79);
    QCOMPARE(relayouts.count(), 0);
    QCOMPARE(model.idAt(0), 180);
    QCOMPARE(model.idAt(179), 1);
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
