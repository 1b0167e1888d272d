#include "MessageListModel.h"

#include "CountText.h"
#include "Icons.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace {
bool idLess(qint64 a, qint64 b)
{
    return a < b;
}

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

QString receivedText(qint64 ms)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
    if (time.date() == QDate::currentDate())
        return time.toString(QStringLiteral("HH:mm:ss"));
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}
} // namespace

MessageListModel::MessageListModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(50);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageListModel::flushPending);
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Received:
            return receivedText(row.receivedMs);
        case From:
            return row.from;
        case To:
            return row.to;
        case Subject:
            return row.subject.isEmpty() ? tr("(no subject)") : row.subject;
        case Size:
            return sizeText(row.size);
        case Warnings:
            return row.warningCount > 0 ? QVariant(row.warningCount) : QVariant();
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
    return QVariant();
}

MessageListModel::Row MessageListModel::toRow(const MessageSummary &s)
{
    Row row{s.id,
            s.sessionId,
            s.receivedMs,
            s.size,
            s.headline.from.isEmpty() ? QString::fromUtf8(s.envelopeFrom) : s.headline.from,
            s.headline.to.isEmpty() ? joined(s.envelopeTo) : s.headline.to,
            s.headline.subject,
            qint32(s.warningCount),
            s.headline.hasAttachments,
            s.read};
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
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MessageListModel::flushPending()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    const QList<MessageSummary> pending = std::exchange(m_pending, {});
    const int before = int(m_rows.size());
    insertNow(pending);
    const int added = int(m_rows.size()) - before;
    if (added > 0)
        Q_EMIT messagesArrived(added, pending.constLast().headline.subject);
}

void MessageListModel::insertNow(const QList<MessageSummary> &summaries)
{
    std::vector<Row> rows;
    rows.reserve(size_t(summaries.size()));
    for (const MessageSummary &summary : summaries)
        rows.push_back(toRow(summary));
    insertSorted(std::move(rows));
}

void MessageListModel::insertSorted(std::vector<Row> rows)
{
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.id < b.id; });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const Row &a, const Row &b) { return a.id == b.id; }),
               rows.end());
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [this](const Row &r) { return rowOfId(r.id) >= 0; }),
               rows.end());
    if (rows.empty())
        return;
    int unread = m_unread;
    for (const Row &row : rows)
        unread += row.read ? 0 : 1;

    // New mail has the highest ids and the initial load the lowest: both are one block.
    const bool appends = m_rows.empty() || rows.front().id > m_rows.back().id;
    const bool prepends = !appends && rows.back().id < m_rows.front().id;
    if (appends || prepends) {
        const int first = appends ? int(m_rows.size()) : 0;
        beginInsertRows(QModelIndex(), first, first + int(rows.size()) - 1);
        m_rows.insert(appends ? m_rows.end() : m_rows.begin(),
                      std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
        endInsertRows();
    } else {
        // Ids out of order (a slow save finishing after a later one): rare, one row at a time.
        for (Row &row : rows) {
            const auto at =
                std::lower_bound(m_rows.begin(), m_rows.end(), row.id,
                                 [](const Row &r, qint64 id) { return idLess(r.id, id); });
            const int position = int(at - m_rows.begin());
            beginInsertRows(QModelIndex(), position, position);
            m_rows.insert(at, std::move(row));
            endInsertRows();
        }
    }
    setUnread(unread);
}

void MessageListModel::removeIds(const QList<qint64> &ids)
{
    std::vector<int> positions;
    for (qint64 id : ids) {
        const int row = rowOfId(id);
        if (row >= 0)
            positions.push_back(row);
    }
    // Queued mail that is already gone must not appear later.
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(),
                                   [&ids](const MessageSummary &s) { return ids.contains(s.id); }),
                    m_pending.end());
    if (positions.empty())
        return;
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    int unread = m_unread;
    for (int row : positions)
        unread -= m_rows[size_t(row)].read ? 0 : 1;

    // Contiguous runs, removed from the end so earlier positions stay valid.
    std::vector<std::pair<int, int>> runs; // first, last
    for (int row : positions) {
        if (!runs.empty() && runs.back().second + 1 == row)
            runs.back().second = row;
        else
            runs.emplace_back(row, row);
    }
    // Many scattered runs (deleting half of a sorted view) are cheaper as one reset.
    constexpr size_t kMaxRuns = 64;
    if (runs.size() > kMaxRuns) {
        beginResetModel();
        for (auto run = runs.rbegin(); run != runs.rend(); ++run)
            m_rows.erase(m_rows.begin() + run->first, m_rows.begin() + run->second + 1);
        endResetModel();
    } else {
        for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
            beginRemoveRows(QModelIndex(), run->first, run->second);
            m_rows.erase(m_rows.begin() + run->first, m_rows.begin() + run->second + 1);
            endRemoveRows();
        }
    }
    setUnread(unread);
}

void MessageListModel::setRead(const QList<qint64> &ids, bool read)
{
    int unread = m_unread;
    for (qint64 id : ids) {
        const int row = rowOfId(id);
        if (row < 0 || m_rows[size_t(row)].read == read)
            continue;
        m_rows[size_t(row)].read = read;
        unread += read ? -1 : 1;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole, ReadRole});
    }
    for (MessageSummary &summary : m_pending) {
        if (ids.contains(summary.id))
            summary.read = read;
    }
    setUnread(unread);
}

void MessageListModel::clear()
{
    m_pending.clear();
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_rows.shrink_to_fit();
    endResetModel();
    setUnread(0);
}

int MessageListModel::rowOfId(qint64 id) const
{
    const auto at = std::lower_bound(m_rows.begin(), m_rows.end(), id,
                                     [](const Row &r, qint64 v) { return idLess(r.id, v); });
    return at != m_rows.end() && at->id == id ? int(at - m_rows.begin()) : -1;
}

qint64 MessageListModel::idAt(int row) const
{
    return m_rows[size_t(row)].id;
}
qint64 MessageListModel::sessionIdAt(int row) const
{
    return m_rows[size_t(row)].sessionId;
}
bool MessageListModel::isRead(int row) const
{
    return m_rows[size_t(row)].read;
}
QString MessageListModel::subjectAt(int row) const
{
    return m_rows[size_t(row)].subject;
}

bool MessageListModel::lessThan(int leftRow, int rightRow, int column) const
{
    const Row &a = m_rows[size_t(leftRow)];
    const Row &b = m_rows[size_t(rightRow)];
    switch (column) {
    case From:
        return a.from.compare(b.from, Qt::CaseInsensitive) < 0;
    case To:
        return a.to.compare(b.to, Qt::CaseInsensitive) < 0;
    case Subject:
        return a.subject.compare(b.subject, Qt::CaseInsensitive) < 0;
    case Size:
        return a.size < b.size;
    case Attachment:
        return a.hasAttachments < b.hasAttachments;
    case Warnings:
        return a.warningCount < b.warningCount;
    default:
        return a.receivedMs != b.receivedMs ? a.receivedMs < b.receivedMs : a.id < b.id;
    }
}

bool MessageListModel::matches(int row, const QString &needle) const
{
    const Row &r = m_rows[size_t(row)];
    return r.subject.contains(needle, Qt::CaseInsensitive) ||
           r.from.contains(needle, Qt::CaseInsensitive) ||
           r.to.contains(needle, Qt::CaseInsensitive);
}

void MessageListModel::setUnread(int unread)
{
    if (unread == m_unread)
        return;
    m_unread = unread;
    Q_EMIT unreadCountChanged(unread);
}
