#pragma once

#include "store/MessageStore.h"

#include <QAbstractListModel>

// The sidebar's mailboxes: "All mail" first, then every tag in name order, each with how many
// messages it holds and how many of them are unread. Plain data: MailboxPane feeds it.
class MailboxListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        TagRole = Qt::UserRole + 1, // empty for All mail
        TotalRole,
        UnreadRole
    };

    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // The counts change in place; a tag that comes or goes resets the list (rare, and the
    // selection is restored by name).
    void setMailboxes(qint64 total, qint64 unread, const QList<MessageStore::TagCount> &tags);
    int rowOfTag(const QString &tag) const; // -1 when there is none; 0 for All mail

private:
    QList<MessageStore::TagCount> m_rows; // row 0: All mail, name empty
};
