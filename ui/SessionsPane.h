#pragma once

#include <QList>
#include <QWidget>

class BackgroundWork;
class MessageStore;
class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class SessionListModel;
class TranscriptView;
struct MessageSummary;

// The Sessions tab: the live session list above the selected session's transcript, which
// grows while the conversation goes on, and links to the messages the session delivered.
class SessionsPane : public QWidget
{
    Q_OBJECT
public:
    SessionsPane(SessionListModel *sessions, const MessageStore *store, QWidget *parent = nullptr);

    void selectSession(qint64 id);
    qint64 currentSessionId() const { return m_current; }
    void setSearchText(const QString &text);
    // A message was stored: links to it appear when its session is the one shown.
    void noteMessage(const MessageSummary &summary);

    QTableView *table() const { return m_table; }
    TranscriptView *transcript() const { return m_transcript; }
    QSplitter *splitter() const { return m_splitter; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

Q_SIGNALS:
    void messageRequested(qint64 messageId);

private:
    void showSession(qint64 id);
    void showMessageLinks();

    SessionListModel *m_sessions;
    const MessageStore *m_store;
    BackgroundWork *m_work;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QSplitter *m_splitter;
    QLabel *m_title;
    TranscriptView *m_transcript;
    qint64 m_current = 0;
    quint64 m_ticket = 0;
    QList<qint64> m_messageIds;
};
