#pragma once

#include <QObject>

class BackgroundWork;
class MessageInspector;
class MessageListModel;
class MessageStore;
class MessageTableView;
class QAction;
class QWidget;
class ServerStatusBar;

// The actions that take mail out of smtpeek: save the shown message as .eml, export selected
// or all messages to a folder or an mbox file (off the GUI thread), save its attachments, and
// copy its raw source.
class ExportActions : public QObject
{
    Q_OBJECT
public:
    ExportActions(QWidget *window, MessageStore *store, MessageInspector *inspector,
                  MessageTableView *view, MessageListModel *messages, BackgroundWork *work,
                  ServerStatusBar *status);

    // `shown`: the inspector shows a message; `selected`: the list has a selection.
    void updateEnabled(bool shown, bool selected);

    QAction *saveEml;
    QAction *saveAttachments;
    QAction *exportSelectedEml;
    QAction *exportSelectedMbox;
    QAction *exportAllEml;
    QAction *exportAllMbox;
    QAction *copyRaw;

Q_SIGNALS:
    void failed(const QString &reason);

private:
    void saveCurrentAsEml();
    void exportMessages(const QList<qint64> &ids, bool mbox);
    void copyRawSource();
    QList<qint64> allIds() const;

    QWidget *m_window;
    MessageStore *m_store;
    MessageInspector *m_inspector;
    MessageTableView *m_view;
    MessageListModel *m_messages;
    BackgroundWork *m_work;
    ServerStatusBar *m_status;
};
