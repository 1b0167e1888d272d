#include "SessionsPane.h"

#include "BackgroundWork.h"
#include "SessionListModel.h"
#include "SourceOrderFilterModel.h"
#include "TranscriptView.h"
#include "store/MessageStore.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace {
struct StoredSession
{
    Transcript transcript;
    QList<qint64> messageIds;
};
} // namespace

SessionsPane::SessionsPane(SessionListModel *sessions, const MessageStore *store, QWidget *parent)
    : QWidget(parent), m_sessions(sessions), m_store(store), m_work(new BackgroundWork(1, this)),
      m_proxy(new SourceOrderFilterModel(sessions, this)), m_table(new QTableView(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)), m_title(new QLabel(this)),
      m_transcript(new TranscriptView(this))
{
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SessionListModel::Started, Qt::DescendingOrder);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->resizeSection(SessionListModel::Peer, 130);
    header->resizeSection(SessionListModel::Helo, 120);
    for (int column :
         {SessionListModel::Started, SessionListModel::Duration, SessionListModel::Messages})
        header->resizeSection(column, 70);

    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_title, &QLabel::linkActivated, this, [this](const QString &link) {
        Q_EMIT messageRequested(link.section(u':', 1).toLongLong());
    });

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 4, 0, 0);
    detailLayout->addWidget(m_title);
    detailLayout->addWidget(m_transcript, 1);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(detail);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showSession(current.isValid() ? current.data(SessionListModel::IdRole).toLongLong()
                                              : 0);
            });
    connect(sessions, &SessionListModel::transcriptAppended, this,
            [this](qint64 id, const Transcript &entries) {
                if (id == m_current)
                    m_transcript->append(entries);
            });
    m_title->setText(tr("Select a session to see its transcript."));
}

void SessionsPane::setSearchText(const QString &text)
{
    m_proxy->setFilterFixedString(text);
}

void SessionsPane::selectSession(qint64 id)
{
    const int row = m_sessions->rowOfId(id);
    if (row < 0) {
        // Not in the list (yet): show what the store has.
        showSession(id);
        return;
    }
    if (!m_proxy->mapFromSource(m_sessions->index(row, 0)).isValid())
        m_proxy->setFilterFixedString(QString()); // hidden by the search
    const QModelIndex visible = m_proxy->mapFromSource(m_sessions->index(row, 0));
    m_table->setCurrentIndex(visible);
    m_table->scrollTo(visible);
}

void SessionsPane::showSession(qint64 id)
{
    if (id == m_current)
        return;
    m_current = id;
    ++m_ticket;
    m_messageIds.clear();
    if (id == 0) {
        m_transcript->setTranscript({});
        m_title->setText(tr("Select a session to see its transcript."));
        return;
    }
    const std::optional<Transcript> live = m_sessions->liveTranscript(id);
    if (live)
        m_transcript->setTranscript(*live);
    else
        m_transcript->setTranscript({});
    showMessageLinks();
    // The store has ended sessions' transcripts and every session's messages.
    const quint64 ticket = m_ticket;
    const MessageStore *store = m_store;
    const bool needTranscript = !live;
    m_work->run<StoredSession>(
        [store, id, needTranscript] {
            StoredSession stored;
            if (needTranscript) {
                if (std::optional<SessionRecord> session = store->session(id))
                    stored.transcript = std::move(session->transcript);
            }
            stored.messageIds = store->messageIdsOfSession(id);
            return stored;
        },
        [this, ticket, needTranscript](const StoredSession &stored) {
            if (ticket != m_ticket)
                return;
            if (needTranscript)
                m_transcript->setTranscript(stored.transcript);
            for (qint64 messageId : stored.messageIds) {
                if (!m_messageIds.contains(messageId))
                    m_messageIds.append(messageId);
            }
            std::sort(m_messageIds.begin(), m_messageIds.end());
            showMessageLinks();
        });
}

void SessionsPane::noteMessage(const MessageSummary &summary)
{
    if (summary.sessionId != m_current || m_messageIds.contains(summary.id))
        return;
    m_messageIds.append(summary.id);
    showMessageLinks();
}

void SessionsPane::showMessageLinks()
{
    QString text = tr("<b>Session #%1</b>").arg(m_current);
    const int row = m_sessions->rowOfId(m_current);
    if (row >= 0) {
        const SessionRecord &s = m_sessions->sessionAt(row);
        text += tr(" from %1:%2").arg(s.peerAddress.toHtmlEscaped()).arg(s.peerPort);
    }
    if (m_messageIds.isEmpty()) {
        text += tr(" · no messages");
    } else {
        QStringList links;
        for (qint64 id : std::as_const(m_messageIds))
            links.append(QStringLiteral("<a href=\"message:%1\">#%1</a>").arg(id));
        text += tr(" · messages: %1").arg(links.join(QStringLiteral(", ")));
    }
    m_title->setText(text);
}
