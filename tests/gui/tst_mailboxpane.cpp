// The sidebar of mailboxes over a real store: its counts follow the store live (a flood of mail
// included), choosing a tag filters the message list, and tag edits reach the list's rows.
#include "MailboxListModel.h"
#include "MailboxPane.h"
#include "MessageFilterModel.h"
#include "MessageListModel.h"
#include "mime/MimeRuntime.h"
#include "store/MemoryStore.h"

#include <QAbstractItemModelTester>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime;

MessageRecord makeMessage(MessageStore &store, const QByteArray &tags, bool read = false)
{
    MessageRecord m;
    m.id = store.allocateMessageId();
    m.envelope.rcptTo = {"user@example.net"};
    m.raw = "Subject: s\r\nX-Tags: " + tags + "\r\n\r\nbody\r\n";
    m.read = read;
    return m;
}

struct Row
{
    QString tag;
    qint64 total;
    qint64 unread;
    bool operator==(const Row &o) const
    {
        return tag == o.tag && total == o.total && unread == o.unread;
    }
};

QList<Row> rowsOf(const MailboxListModel &model)
{
    QList<Row> rows;
    for (int i = 0; i < model.rowCount(); ++i) {
        const QModelIndex index = model.index(i);
        rows.append({index.data(MailboxListModel::TagRole).toString(),
                     index.data(MailboxListModel::TotalRole).toLongLong(),
                     index.data(MailboxListModel::UnreadRole).toLongLong()});
    }
    return rows;
}
} // namespace

QDebug operator<<(QDebug debug, const Row &row)
{
    return debug << row.tag << row.total << row.unread;
}

class tst_MailboxPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countsFollowTheStore();
    void floodKeepsCountsRight();
    void choosingFiltersTheList();
};

void tst_MailboxPane::countsFollowTheStore()
{
    MemoryStore store;
    MailboxPane pane(&store);
    QAbstractItemModelTester tester(pane.model());
    QCOMPARE(rowsOf(*pane.model()), (QList<Row>{{QString(), 0, 0}}));
    const MessageRecord a = makeMessage(store, "Work, Home");
    const MessageRecord b = makeMessage(store, "Work", true);
    store.saveMessage(a, nullptr, {});
    store.saveMessage(b, nullptr, {});
    const QList<Row> expected = {
        {QString(), 2, 1}, {QStringLiteral("Home"), 1, 1}, {QStringLiteral("Work"), 2, 1}};
    QTRY_COMPARE(rowsOf(*pane.model()), expected);
    QVERIFY(pane.model()->index(2).data().toString().contains(u"1 unread of 2"));

    store.setRead({a.id}, true);
    QTRY_COMPARE(rowsOf(*pane.model()).value(2), (Row{QStringLiteral("Work"), 2, 0}));
    pane.choose(QStringLiteral("Home"));
    QCOMPARE(pane.currentTag(), QStringLiteral("Home"));
    // Deleting the chosen mailbox goes back to all mail; the messages stay.
    QSignalSpy chosen(&pane, &MailboxPane::mailboxChosen);
    pane.deleteTag(QStringLiteral("Home"));
    QCOMPARE(pane.currentTag(), QString());
    QCOMPARE(chosen.size(), 1);
    QTRY_COMPARE(rowsOf(*pane.model()),
                 (QList<Row>{{QString(), 2, 0}, {QStringLiteral("Work"), 2, 0}}));
}

void tst_MailboxPane::floodKeepsCountsRight()
{
    MemoryStore store;
    MailboxPane pane(&store);
    QAbstractItemModelTester tester(pane.model());
    for (int i = 0; i < 600; ++i)
        store.saveMessage(makeMessage(store, i % 3 == 0 ? "Fizz" : "Buzz, Other", i % 2 == 0),
                          nullptr, {});
    const QList<Row> expected = {{QString(), 600, 300},
                                 {QStringLiteral("Buzz"), 400, 200},
                                 {QStringLiteral("Fizz"), 200, 100},
                                 {QStringLiteral("Other"), 400, 200}};
    QTRY_COMPARE(rowsOf(*pane.model()), expected);
}

void tst_MailboxPane::choosingFiltersTheList()
{
    MemoryStore store;
    MessageListModel messages;
    MessageFilterModel filter(&messages);
    MailboxPane pane(&store);
    connect(&pane, &MailboxPane::mailboxChosen, &filter, &MessageFilterModel::setMailbox);
    QList<MessageSummary> summaries;
    for (const char *tags : {"Work", "Home", "work"}) {
        const MessageRecord m = makeMessage(store, tags);
        store.saveMessage(m, nullptr, {});
        summaries.append(store.message(m.id)->summary());
    }
    messages.insertNow(summaries);
    QTRY_COMPARE(pane.model()->rowCount(), 3); // All, Home, Work ("work" is the same tag)
    pane.choose(QStringLiteral("WORK"));
    QCOMPARE(filter.rowCount(), 2);
    QVERIFY(messages.index(0, MessageListModel::Subject).data().toString().startsWith(u"["));

    // A tag added elsewhere (the API, IMAP) reaches the rows, and the filter follows.
    connect(&store, &MessageStore::tagsChanged, &messages,
            [&](const QList<qint64> &ids) { messages.setTags(store.tagsOf(ids)); });
    store.addTags({summaries[1].id}, {QStringLiteral("Work")});
    QTRY_COMPARE(filter.rowCount(), 3);
    pane.choose(QString());
    QCOMPARE(filter.rowCount(), 3);
}

QTEST_MAIN(tst_MailboxPane)
#include "tst_mailboxpane.moc"
