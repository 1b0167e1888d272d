#include "SessionListModel.h"

#include "Icons.h"

#include <QDateTime>

#include <algorithm>

namespace {
QString durationText(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 min %2 s").arg(ms / 60000).arg((ms / 1000) % 60);
}

qint64 durationOf(const SessionRecord &s)
{
    const qint64 end = s.endedMs > 0 ? s.endedMs : QDateTime::currentMSecsSinceEpoch();
    return qMax<qint64>(0, end - s.startedMs);
}

QString securityText(const SessionRecord &s)
{
    QStringList parts;
    if (!s.tls.protocol.isEmpty())
        parts.append(s.tls.protocol);
    if (!s.authUser.isEmpty())
        parts.append(QStringLiteral("AUTH %1").arg(s.authUser));
    return parts.join(QStringLiteral(", "));
}

bool isTrouble(SessionEnd end)
{
    return end == SessionEnd::Error || end == SessionEnd::Timeout || end == SessionEnd::Dropped;
}
} // namespace

SessionListModel::SessionListModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(50);
    connect(&m_flushTimer, &QTimer::timeout, this, &SessionListModel::flushPending);
    m_durationTimer.setInterval(1000);
    connect(&m_durationTimer, &QTimer::timeout, this, &SessionListModel::refreshDurations);
    m_durationTimer.start();
}

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const SessionRecord &s = m_rows[size_t(index.row())];
    const bool active = s.end == SessionEnd::Active;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Peer:
            return QStringLiteral("%1:%2").arg(s.peerAddress).arg(s.peerPort);
        case Helo:
            return QString::fromUtf8(s.helo);
        case Started:
            return QDateTime::fromMSecsSinceEpoch(s.startedMs).toString(QStringLiteral("HH:mm:ss"));
        case Duration:
            return durationText(durationOf(s));
        case Messages:
            return s.messageCount;
        case Security:
            return securityText(s);
        case State:
            return active ? tr("active") : sessionEndName(s.end);
        }
        return QVariant();
    case Qt::DecorationRole:
        if (index.column() == State && isTrouble(s.end))
            return Icons::error();
        if (index.column() == State && !s.warnings.isEmpty())
            return Icons::warning();
        return QVariant();
    case Qt::ToolTipRole:
        if (index.column() == State && !s.warnings.isEmpty())
            return s.warnings.join(u'\n');
        if (index.column() == Started)
            return QDateTime::fromMSecsSinceEpoch(s.startedMs).toString(Qt::ISODateWithMs);
        if (index.column() == Security && !s.tls.cipher.isEmpty())
            return s.tls.cipher;
        return QVariant();
    case Qt::ForegroundRole:
        if (active && index.column() == State)
            return QColor(0x2e, 0x7d, 0x32);
        return QVariant();
    case SortRole:
        switch (index.column()) {
        case Started:
            return s.startedMs;
        case Duration:
            return durationOf(s);
        case Messages:
            return s.messageCount;
        case Peer:
            return s.peerAddress + QStringLiteral(":%1").arg(s.peerPort, 5, 10, QLatin1Char('0'));
        }
        return data(index, Qt::DisplayRole);
    case IdRole:
        return s.id;
    case ActiveRole:
        return active;
    }
    return QVariant();
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= ColumnCount)
        return QVariant();
    switch (section) {
    case Peer:
        return tr("Peer");
    case Helo:
        return tr("HELO");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Messages:
        return tr("Messages");
    case Security:
        return tr("TLS / AUTH");
    case State:
        return tr("State");
    }
    return QVariant();
}

void SessionListModel::sessionStarted(const SessionRecord &session)
{
    SessionRecord row = session;
    m_live.insert(session.id, std::exchange(row.transcript, {}));
    m_pending.push_back(std::move(row));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void SessionListModel::appendTranscript(qint64 sessionId, const Transcript &entries)
{
    const auto live = m_live.find(sessionId);
    if (live == m_live.end())
        return;
    live->append(entries);
    Q_EMIT transcriptAppended(sessionId, entries);
}

void SessionListModel::sessionEnded(const SessionRecord &session)
{
    // The store has the whole transcript now; keep only the list's columns.
    m_live.remove(session.id);
    SessionRecord ended = session;
    ended.transcript.clear();
    if (SessionRecord *pending = findPending(session.id)) {
        *pending = std::move(ended);
    } else if (const int row = rowOfId(session.id); row >= 0) {
        m_rows[size_t(row)] = std::move(ended);
        markChanged(row);
    }
    Q_EMIT sessionFinished(session.id);
}

void SessionListModel::messageStored(qint64 sessionId)
{
    if (SessionRecord *pending = findPending(sessionId)) {
        ++pending->messageCount;
        return;
    }
    const int row = rowOfId(sessionId);
    // An ended session's count came with its final record.
    if (row < 0 || m_rows[size_t(row)].end != SessionEnd::Active)
        return;
    ++m_rows[size_t(row)].messageCount;
    markChanged(row);
}

SessionRecord *SessionListModel::findPending(qint64 id)
{
    for (SessionRecord &s : m_pending) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

void SessionListModel::markChanged(int row)
{
    m_changedFirst = m_changedFirst < 0 ? row : qMin(m_changedFirst, row);
    m_changedLast = qMax(m_changedLast, row);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void SessionListModel::flushPending()
{
    m_flushTimer.stop();
    if (m_changedFirst >= 0 && m_changedLast < int(m_rows.size())) {
        Q_EMIT dataChanged(index(m_changedFirst, 0), index(m_changedLast, ColumnCount - 1));
    }
    m_changedFirst = m_changedLast = -1;
    if (!m_pending.empty())
        insertSorted(std::exchange(m_pending, {}));
}

void SessionListModel::insertNow(const QList<SessionRecord> &sessions)
{
    std::vector<SessionRecord> rows;
    rows.reserve(size_t(sessions.size()));
    for (const SessionRecord &s : sessions) {
        rows.push_back(s);
        rows.back().transcript.clear();
    }
    insertSorted(std::move(rows));
}

void SessionListModel::insertSorted(std::vector<SessionRecord> rows)
{
    std::sort(rows.begin(), rows.end(),
              [](const SessionRecord &a, const SessionRecord &b) { return a.id < b.id; });
    rows.erase(
        std::unique(rows.begin(), rows.end(),
                    [](const SessionRecord &a, const SessionRecord &b) { return a.id == b.id; }),
        rows.end());
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [this](const SessionRecord &s) { return rowOfId(s.id) >= 0; }),
               rows.end());
    if (rows.empty())
        return;
    const bool appends = m_rows.empty() || rows.front().id > m_rows.back().id;
    const bool prepends = !appends && rows.back().id < m_rows.front().id;
    if (appends || prepends) {
        const int first = appends ? int(m_rows.size()) : 0;
        beginInsertRows(QModelIndex(), first, first + int(rows.size()) - 1);
        m_rows.insert(appends ? m_rows.end() : m_rows.begin(),
                      std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
        endInsertRows();
        return;
    }
    for (SessionRecord &s : rows) {
        const auto at =
            std::lower_bound(m_rows.begin(), m_rows.end(), s.id,
                             [](const SessionRecord &r, qint64 id) { return r.id < id; });
        const int position = int(at - m_rows.begin());
        beginInsertRows(QModelIndex(), position, position);
        m_rows.insert(at, std::move(s));
        endInsertRows();
    }
}

void SessionListModel::removeEnded()
{
    flushPending();
    beginResetModel();
    m_rows.erase(std::remove_if(m_rows.begin(), m_rows.end(),
                                [](const SessionRecord &s) { return s.end != SessionEnd::Active; }),
                 m_rows.end());
    endResetModel();
}

int SessionListModel::rowOfId(qint64 id) const
{
    const auto at = std::lower_bound(m_rows.begin(), m_rows.end(), id,
                                     [](const SessionRecord &r, qint64 v) { return r.id < v; });
    return at != m_rows.end() && at->id == id ? int(at - m_rows.begin()) : -1;
}

qint64 SessionListModel::idAt(int row) const
{
    return m_rows[size_t(row)].id;
}

const SessionRecord &SessionListModel::sessionAt(int row) const
{
    return m_rows[size_t(row)];
}

std::optional<Transcript> SessionListModel::liveTranscript(qint64 sessionId) const
{
    const auto it = m_live.constFind(sessionId);
    if (it == m_live.cend())
        return std::nullopt;
    return *it;
}

void SessionListModel::refreshDurations()
{
    // Only the active sessions' durations move; repaint that column for them.
    int first = -1;
    int last = -1;
    for (int row = 0; row < int(m_rows.size()); ++row) {
        if (m_rows[size_t(row)].end != SessionEnd::Active)
            continue;
        first = first < 0 ? row : first;
        last = row;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, Duration), index(last, Duration), {Qt::DisplayRole});
}
