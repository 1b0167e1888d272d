#pragma once

#include "SourceOrderFilterModel.h"

class MessageListModel;

// Searches the message list; the list sorts itself. Tests rows directly in the source model:
// going through QVariant for each row makes a search of 100,000 rows several times slower.
class MessageFilterModel : public SourceOrderFilterModel
{
    Q_OBJECT
public:
    explicit MessageFilterModel(MessageListModel *source, QObject *parent = nullptr);

    // Keeps rows whose From, To or Subject contains `text` (case-insensitive); empty: all.
    void setSearchText(const QString &text);
    QString searchText() const { return m_needle; }
    // Keeps only the messages with this tag (the sidebar's mailbox); empty: all.
    void setMailbox(const QString &tag);
    QString mailbox() const { return m_mailbox; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    MessageListModel *m_messages;
    QString m_needle;
    QString m_mailbox;
};
