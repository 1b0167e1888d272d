#include "MessageFilterModel.h"

#include "MessageListModel.h"

MessageFilterModel::MessageFilterModel(MessageListModel *source, QObject *parent)
    : SourceOrderFilterModel(source, parent), m_messages(source)
{}

void MessageFilterModel::setSearchText(const QString &text)
{
    const QString needle = text.trimmed();
    if (needle == m_needle)
        return;
    m_needle = needle;
    invalidateFilter();
}

void MessageFilterModel::setMailbox(const QString &tag)
{
    if (tag == m_mailbox)
        return;
    m_mailbox = tag;
    invalidateFilter();
}

bool MessageFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    return (m_mailbox.isEmpty() || m_messages->hasTag(sourceRow, m_mailbox)) &&
           (m_needle.isEmpty() || m_messages->matches(sourceRow, m_needle));
}
