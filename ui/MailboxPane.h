#pragma once

#include <QTimer>
#include <QWidget>

class MailboxListModel;
class MessageStore;
class QListView;

// The sidebar of mailboxes (tags): All mail, then every tag with its total and unread counts,
// kept live from the store's signals (refreshed at most every kRefreshMs, so a flood of mail
// costs a few queries a second); choosing one filters the message list. Rename and delete are
// on the context menu; "Tag..." tags the selected messages.
class MailboxPane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 100;

    MailboxPane(MessageStore *store, QWidget *parent = nullptr);

    MailboxListModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QString currentTag() const { return m_current; }
    void choose(const QString &tag);

    // Asks for tag names (comma-separated) and adds them to these messages.
    void tagMessages(const QList<qint64> &ids);
    void renameTag(const QString &tag);
    void deleteTag(const QString &tag);

Q_SIGNALS:
    void mailboxChosen(const QString &tag); // empty: all mail

private:
    void refresh();
    void showMenu(const QPoint &at);

    MessageStore *m_store;
    MailboxListModel *m_model;
    QListView *m_view;
    QTimer m_refresh;
    QString m_current;
};
