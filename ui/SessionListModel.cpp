#include "SessionListModel.h"

#include "Icons.h"

#include <QDateTime>

namespace {
QString durationText(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 min %2 s").arg(ms / 60000).arg((ms / 1000) % 60);
}

qint64 durationOf(const SessionRecord &s, qint64 nowMs)
{
    const qint64 end = s.endedMs > 0 ? s.endedMs : nowMs;
    return qMax<qint64>(0, end - s.startedMs);
}

qint64 durationOf(const SessionRecord &s)
{
    return durationOf(s, QDateTime::currentMSecsSinceEpoch());
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

SessionListModel::SessionListModel(QObject *parent)
    : BatchedTableModel(parent), m_sortNowMs(QDateTime::currentMSecsSinceEpoch())
{
    m_durationTimer.setInterval(1000);
    connect(&m_durationTimer, &QTimer::timeout, this, &SessionListModel::refreshDurations);
    m_durationTimer.start();
}

int SessionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const SessionRecord &s = rowAt(index.row());
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
    scheduleFlush();
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
        rowAt(row) = std::move(ended);
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
    if (row < 0 || rowAt(row).end != SessionEnd::Active)
        return;
    ++rowAt(row).messageCount;
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

void SessionListModel::flushPending()
{
    stopFlushTimer();
    applyChanges();
    if (!m_pending.empty())
        addRows(std::exchange(m_pending, {}));
}

void SessionListModel::insertNow(const QList<SessionRecord> &sessions)
{
    std::vector<SessionRecord> rows;
    rows.reserve(size_t(sessions.size()));
    for (const SessionRecord &s : sessions) {
        rows.push_back(s);
        rows.back().transcript.clear();
    }
    addRows(std::move(rows));
}

void SessionListModel::removeEnded()
{
    flushPending();
    QList<qint64> ended;
    for (int row = 0; row < rowCount(); ++row) {
        if (rowAt(row).end != SessionEnd::Active)
            ended.append(rowAt(row).id);
    }
    removeRowsById(ended);
}

const SessionRecord &SessionListModel::sessionAt(int row) const
{
    return rowAt(row);
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
    // Only the active sessions' durations move: they are repainted, and in a list sorted by
    // duration they are changed rows, which move only if they now sort elsewhere.
    m_sortNowMs = QDateTime::currentMSecsSinceEpoch();
    const bool sortedByDuration = sortColumn() == Duration;
    int first = -1;
    int last = -1;
    for (int row = 0; row < rowCount(); ++row) {
        if (rowAt(row).end != SessionEnd::Active)
            continue;
        first = first < 0 ? row : first;
        last = row;
        if (sortedByDuration)
            markChanged(row);
    }
    if (first < 0)
        return;
    if (sortedByDuration)
        applyChanges(); // now: the sort's clock has just moved
    else
        Q_EMIT dataChanged(index(first, Duration), index(last, Duration), {Qt::DisplayRole});
}

int SessionListModel::compare(const SessionRecord &a, const SessionRecord &b, int column) const
{
    switch (column) {
    case Peer:
        if (const int order = a.peerAddress.compare(b.peerAddress); order != 0)
            return order;
        return compareValues(a.peerPort, b.peerPort);
    case Helo:
        return a.helo.compare(b.helo, Qt::CaseInsensitive);
    case Duration:
        return compareValues(durationOf(a, m_sortNowMs), durationOf(b, m_sortNowMs));
    case Messages:
        return compareValues(a.messageCount, b.messageCount);
    case Security:
        if (const int order = a.tls.protocol.compare(b.tls.protocol); order != 0)
            return order;
        return a.authUser.compare(b.authUser, Qt::CaseInsensitive);
    case State:
        return compareValues(a.end, b.end);
    default:
        return compareValues(a.startedMs, b.startedMs);
    }
}
