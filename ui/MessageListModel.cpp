#include "MessageListModel.h"

#include "records/TagName.h"

#include "CountText.h"
#include "Icons.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace {
QString joined(const QList<QByteArray> &list)
{
    QStringList parts;
    for (const QByteArray &item : list)
        parts.append(QString::fromUtf8(item));
    return parts.join(QStringLiteral(", "));
}

// Short enough for a narrow column: "374 B", "2.9 KB", "24.1 MB".
QString sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

// A glyph for the narrow Relay column; the tooltip says it in words.
QString relayGlyph(RelayMark mark)
{
    switch (mark) {
    case RelayMark::None:
        break;
    case RelayMark::Pending:
        return QStringLiteral("\u2026"); // …
    case RelayMark::Delivered:
        return QStringLiteral("\u2197"); // ↗
    case RelayMark::Partial:
        return QStringLiteral("\u2197!");
    case RelayMark::Failed:
        return QStringLiteral("\u2717"); // ✗
    }
    return {};
}

QString relayTip(RelayMark mark)
{
    switch (mark) {
    case RelayMark::None:
        break;
    case RelayMark::Pending:
        return MessageListModel::tr("Delivery upstream pending");
    case RelayMark::Delivered:
        return MessageListModel::tr("Relayed: the upstream accepted it");
    case RelayMark::Partial:
        return MessageListModel::tr("Relayed to some recipients; others were refused");
    case RelayMark::Failed:
        return MessageListModel::tr("Relaying failed (see Deliveries)");
    }
    return {};
}

QString receivedText(qint64 ms)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    if (time.date() == QDate::currentDate())
        return time.toString(QStringLiteral("HH:mm:ss"));
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}
} // namespace

MessageListModel::MessageListModel(QObject *parent) : BatchedTableModel(parent) {}

int MessageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const MessageRow &row = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Received:
            return receivedText(row.receivedMs);
        case From:
            return row.from;
        case To:
            return row.to;
        case Subject: {
            // Its tags as chips before the subject, e.g. "[Invoices] [Support] Your bill".
            QString chips;
            for (const QString &tag : row.tags)
                chips += u'[' + tag + QLatin1String("] ");
            return chips + (row.subject.isEmpty() ? tr("(no subject)") : row.subject);
        }
        case Size:
            return sizeText(row.size);
        case Warnings:
            return row.warningCount > 0 ? QVariant(row.warningCount) : QVariant();
        case Relay:
            return row.relay == RelayMark::None ? QVariant() : QVariant(relayGlyph(row.relay));
        }
        return QVariant();
    case Qt::DecorationRole:
        if (index.column() == Attachment && row.hasAttachments)
            return Icons::attachment();
        if (index.column() == Warnings && row.warningCount > 0)
            return Icons::warning();
        return QVariant();
    case Qt::ToolTipRole:
        if (index.column() == Attachment && row.hasAttachments)
            return tr("Has attachments");
        if (index.column() == Warnings && row.warningCount > 0)
            return countText(row.warningCount, "warning", "warnings");
        if (index.column() == Received)
            return QDateTime::fromMSecsSinceEpoch(row.receivedMs).toString(Qt::ISODateWithMs);
        if (index.column() == Size)
            return tr("%L1 bytes").arg(row.size);
        if (index.column() == Relay && row.relay != RelayMark::None)
            return relayTip(row.relay);
        if (index.column() == Subject && !row.tags.isEmpty())
            return tr("Tags: %1").arg(row.tags.join(QLatin1String(", ")));
        return QVariant();
    case Qt::FontRole:
        if (!row.read) {
            static const QFont bold = [] {
                QFont font;
                font.setBold(true);
                return font;
            }();
            return bold;
        }
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case IdRole:
        return row.id;
    case SessionIdRole:
        return row.sessionId;
    case ReadRole:
        return row.read;
    case TagsRole:
        return row.tags;
    }
    return QVariant();
}

QVariant MessageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Received:
            return tr("Received");
        case From:
            return tr("From");
        case To:
            return tr("To");
        case Subject:
            return tr("Subject");
        case Size:
            return tr("Size");
        }
        return QVariant();
    }
    if (role == Qt::DecorationRole && section == Attachment)
        return Icons::attachment();
    if (role == Qt::DecorationRole && section == Warnings)
        return Icons::warning();
    if (role == Qt::ToolTipRole && section == Attachment)
        return tr("Attachments");
    if (role == Qt::ToolTipRole && section == Warnings)
        return tr("Warnings");
    if (role == Qt::DisplayRole && section == Relay)
        return QStringLiteral("\u2197");
    if (role == Qt::ToolTipRole && section == Relay)
        return tr("Released or relayed upstream");
    return QVariant();
}

MessageRow MessageListModel::toRow(const MessageSummary &s)
{
    MessageRow row{s.id,
                   s.sessionId,
                   s.receivedMs,
                   s.size,
                   s.headline.from.isEmpty() ? QString::fromUtf8(s.envelopeFrom) : s.headline.from,
                   s.headline.to.isEmpty() ? joined(s.envelopeTo) : s.headline.to,
                   s.headline.subject,
                   qint32(s.warningCount),
                   s.headline.hasAttachments,
                   s.read,
                   s.relay,
                   s.tags};
    // Rows live long: drop spare capacity, but never copy a string only to share it less.
    for (QString *text : {&row.from, &row.to, &row.subject}) {
        if (text->capacity() > text->size() + 8)
            text->squeeze();
    }
    return row;
}

void MessageListModel::enqueue(const MessageSummary &summary)
{
    m_pending.append(summary);
    scheduleFlush();
}

void MessageListModel::flushPending()
{
    stopFlushTimer();
    if (m_pending.isEmpty())
        return;
    const QList<MessageSummary> pending = std::exchange(m_pending, {});
    const int before = rowCount();
    insertNow(pending);
    const int added = rowCount() - before;
    if (added > 0)
        Q_EMIT messagesArrived(added, pending.constLast().headline.subject);
}

void MessageListModel::insertNow(const QList<MessageSummary> &summaries)
{
    std::vector<MessageRow> rows;
    rows.reserve(size_t(summaries.size()));
    for (const MessageSummary &summary : summaries)
        rows.push_back(toRow(summary));
    int unread = m_unread;
    addRows(std::move(rows), [&unread](const MessageRow &row) { unread += row.read ? 0 : 1; });
    setUnread(unread);
}

void MessageListModel::removeIds(const QList<qint64> &ids)
{
    // Queued mail that is already gone must not appear later.
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(),
                                   [&ids](const MessageSummary &s) { return ids.contains(s.id); }),
                    m_pending.end());
    int unread = m_unread;
    removeRowsById(ids, [&unread](const MessageRow &row) { unread -= row.read ? 0 : 1; });
    setUnread(unread);
}

void MessageListModel::setRead(const QList<qint64> &ids, bool read)
{
    int unread = m_unread;
    for (qint64 id : ids) {
        const int row = rowOfId(id);
        if (row < 0 || rowAt(row).read == read)
            continue;
        rowAt(row).read = read;
        unread += read ? -1 : 1;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole, ReadRole});
    }
    for (MessageSummary &summary : m_pending) {
        if (ids.contains(summary.id))
            summary.read = read;
    }
    setUnread(unread);
}

void MessageListModel::setRelay(qint64 id, RelayMark mark)
{
    const int row = rowOfId(id);
    if (row >= 0 && rowAt(row).relay != mark) {
        rowAt(row).relay = mark;
        Q_EMIT dataChanged(index(row, Relay), index(row, Relay));
    }
    for (MessageSummary &summary : m_pending) {
        if (summary.id == id)
            summary.relay = mark;
    }
}

void MessageListModel::clear()
{
    m_pending.clear();
    stopFlushTimer();
    removeAll();
    setUnread(0);
}

qint64 MessageListModel::sessionIdAt(int row) const
{
    return rowAt(row).sessionId;
}
bool MessageListModel::isRead(int row) const
{
    return rowAt(row).read;
}
QString MessageListModel::subjectAt(int row) const
{
    return rowAt(row).subject;
}

int MessageListModel::compare(const MessageRow &a, const MessageRow &b, int column) const
{
    switch (column) {
    case Size:
        return compareValues(a.size, b.size);
    case Attachment:
        return compareValues(a.hasAttachments, b.hasAttachments);
    case Warnings:
        return compareValues(a.warningCount, b.warningCount);
    case Relay:
        return compareValues(int(a.relay), int(b.relay));
    default:
        return compareValues(a.receivedMs, b.receivedMs);
    }
}

bool MessageListModel::sortsByText(int column) const
{
    return column == From || column == To || column == Subject;
}

QStringView MessageListModel::sortText(const MessageRow &row, int column) const
{
    switch (column) {
    case From:
        return row.from;
    case To:
        return row.to;
    default:
        return row.subject;
    }
}

bool MessageListModel::matches(int row, const QString &needle) const
{
    const MessageRow &r = rowAt(row);
    return r.subject.contains(needle, Qt::CaseInsensitive) ||
           r.from.contains(needle, Qt::CaseInsensitive) ||
           r.to.contains(needle, Qt::CaseInsensitive);
}

bool MessageListModel::hasTag(int row, const QString &tag) const
{
    const QStringList &tags = rowAt(row).tags;
    return std::any_of(tags.cbegin(), tags.cend(),
                       [&tag](const QString &t) { return tag_name::same(t, tag); });
}

void MessageListModel::setTags(const QHash<qint64, QStringList> &tags)
{
    for (auto it = tags.cbegin(); it != tags.cend(); ++it) {
        const int row = rowOfId(it.key());
        if (row >= 0 && rowAt(row).tags != it.value()) {
            rowAt(row).tags = it.value();
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {TagsRole});
        }
    }
    for (MessageSummary &summary : m_pending) {
        if (tags.contains(summary.id))
            summary.tags = tags.value(summary.id);
    }
}

void MessageListModel::setUnread(int unread)
{
    if (unread == m_unread)
        return;
    m_unread = unread;
    Q_EMIT unreadCountChanged(unread);
}
