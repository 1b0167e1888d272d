#include "MessageInspector.h"

#include "BackgroundWork.h"
#include "DeliveriesView.h"
#include "ChecksPane.h"
#include "EnvelopePane.h"
#include "HeaderTableModel.h"
#include "Icons.h"
#include "MessagePreview.h"
#include "NoticeBar.h"
#include "PartsPane.h"
#include "RawSourceView.h"
#include "TranscriptView.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace {
QString addressList(const QList<MailAddress> &addresses)
{
    QStringList parts;
    for (const MailAddress &a : addresses) {
        parts.append(a.name.isEmpty() ? a.address
                                      : QStringLiteral("%1 <%2>").arg(a.name, a.address));
    }
    return parts.join(QStringLiteral(", "));
}

QWidget *withNote(QLabel *note, QWidget *content, QWidget *parent)
{
    auto *page = new QWidget(parent);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(note);
    layout->addWidget(content, 1);
    return page;
}
} // namespace

MessageInspector::MessageInspector(const MessageStore *store, bool safePreview, QWidget *parent)
    : QWidget(parent), m_store(store), m_work(new BackgroundWork(1, this)),
      m_subject(new QLabel(this)), m_addresses(new QLabel(this)), m_notice(new NoticeBar(this)),
      m_tabs(new QTabWidget(this)), m_preview(new MessagePreview(safePreview, this)),
      m_headers(new HeaderTableModel(this)), m_headerView(new QTableView(this)),
      m_rawHeaders(new QCheckBox(tr("Raw values"), this)), m_parts(new PartsPane(this)),
      m_raw(new RawSourceView(this)), m_transcript(new TranscriptView(this)),
      m_transcriptNote(new QLabel(this)), m_envelope(new EnvelopePane(this)),
      m_warnings(new QListWidget(this)), m_deliveries(new DeliveriesView(store, this)),
      m_checks(new ChecksPane(this))
{
    QFont subjectFont = m_subject->font();
    subjectFont.setPointSizeF(subjectFont.pointSizeF() * 1.3);
    subjectFont.setBold(true);
    m_subject->setFont(subjectFont);
    m_subject->setWordWrap(true);
    m_subject->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_addresses->setWordWrap(true);
    m_addresses->setTextFormat(Qt::RichText);
    m_addresses->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_addresses, &QLabel::linkActivated, this, [this](const QString &link) {
        Q_EMIT sessionRequested(link.section(u':', 1).toLongLong());
    });

    m_headerView->setModel(m_headers);
    m_headerView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headerView->setWordWrap(false);
    m_headerView->verticalHeader()->hide();
    m_headerView->horizontalHeader()->setStretchLastSection(true);
    m_headerView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::Name,
                                                           QHeaderView::ResizeToContents);
    connect(m_rawHeaders, &QCheckBox::toggled, m_headers, &HeaderTableModel::setShowRaw);
    auto *headersPage = new QWidget(this);
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->addWidget(m_headerView, 1);
    headersLayout->addWidget(m_rawHeaders);

    auto *envelopeScroll = new QScrollArea(this);
    envelopeScroll->setWidget(m_envelope);
    envelopeScroll->setWidgetResizable(true);
    envelopeScroll->setFrameShape(QFrame::NoFrame);
    connect(m_envelope, &EnvelopePane::sessionRequested, this, &MessageInspector::sessionRequested);
    connect(m_parts, &PartsPane::failed, this, [this](const QString &error) {
        m_notice->removeActions();
        m_notice->showMessage(NoticeBar::Kind::Error, error);
    });
    connect(m_parts, &PartsPane::saved, this, &MessageInspector::statusMessage);

    m_transcriptNote->setWordWrap(true);
    m_transcriptNote->hide();

    m_tabs->addTab(m_preview, tr("Preview"));
    m_tabs->addTab(headersPage, tr("Headers"));
    m_tabs->addTab(m_parts, tr("Parts"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(withNote(m_transcriptNote, m_transcript, this), tr("Transcript"));
    m_tabs->addTab(envelopeScroll, tr("Envelope"));
    m_tabs->addTab(m_warnings, tr("Warnings"));
    m_tabs->addTab(m_deliveries, tr("Deliveries"));
    connect(m_deliveries, &DeliveriesView::countChanged, this, [this](int count) {
        m_tabs->setTabText(DeliveriesTab,
                           count ? tr("Deliveries (%1)").arg(count) : tr("Deliveries"));
    });
    m_tabs->addTab(m_checks, tr("Checks"));
    // Checks cost a parse of the whole message: they run when their tab is looked at.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == ChecksTab)
            m_checks->run();
    });
    connect(m_checks, &ChecksPane::rawOffsetRequested, this, [this](qint64 offset) {
        m_tabs->setCurrentWidget(m_raw);
        m_raw->showByteOffset(offset);
    });
    m_tabs->setDocumentMode(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_subject);
    layout->addWidget(m_addresses);
    layout->addWidget(m_notice);
    layout->addWidget(m_tabs, 1);
    clear();
}

const LoadedMessage *MessageInspector::current() const
{
    return m_current.get();
}

qint64 MessageInspector::currentId() const
{
    return m_current && !m_current->isFromFile() ? m_current->record.id : 0;
}

void MessageInspector::startLoading(const QString &what)
{
    ++m_ticket;
    m_loading = true;
    m_current.reset();
    m_subject->setText(what);
    m_addresses->clear();
    m_notice->hide();
    m_tabs->setEnabled(false);
}

void MessageInspector::showStored(qint64 id)
{
    if (!m_loading && currentId() == id)
        return;
    startLoading(tr("Loading…"));
    const quint64 ticket = m_ticket;
    const MessageStore *store = m_store;
    m_work->run<LoadedMessage>([store, id] { return loadStoredMessage(store, id); },
                               [this, ticket](const LoadedMessage &message) {
                                   if (ticket == m_ticket)
                                       show(message);
                               });
}

void MessageInspector::showFile(const QString &path)
{
    startLoading(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    const quint64 ticket = m_ticket;
    m_work->run<LoadedMessage>([path] { return loadMessageFile(path); },
                               [this, ticket](const LoadedMessage &message) {
                                   if (ticket == m_ticket)
                                       show(message);
                               });
}

void MessageInspector::clear()
{
    ++m_ticket;
    m_loading = false;
    m_current.reset();
    m_subject->setText(tr("No message selected"));
    m_addresses->setText(tr("Select a message in the list, or open an .eml file (Ctrl+O)."));
    m_notice->hide();
    m_preview->clear();
    m_headers->setHeaders({});
    m_parts->clear();
    m_raw->setSource(QString(), QByteArray(), false);
    m_transcript->setTranscript({});
    m_envelope->clear();
    m_warnings->clear();
    m_deliveries->showMessage(0);
    m_checks->clear();
    m_tabs->setTabText(WarningsTab, tr("Warnings"));
    m_tabs->setEnabled(false);
}

void MessageInspector::show(const LoadedMessage &message)
{
    m_loading = false;
    if (!message.error.isEmpty()) {
        clear();
        m_subject->setText(tr("Cannot show this message"));
        m_notice->removeActions();
        m_notice->showMessage(NoticeBar::Kind::Error, message.error);
        Q_EMIT loaded();
        return;
    }
    m_current = std::make_unique<LoadedMessage>(message);
    m_tabs->setEnabled(true);
    showSummary(message);

    PreviewMessage preview;
    preview.key = message.isFromFile() ? QStringLiteral("f%1").arg(qHash(message.sourceFile), 0, 16)
                                       : QStringLiteral("m%1").arg(message.record.id);
    preview.raw = message.record.raw;
    preview.decoded = message.decoded;
    m_preview->setMessage(preview);

    m_headers->setHeaders(message.decoded->headers);
    m_parts->setMessage(message.record.raw, message.decoded);
    m_raw->setSource(message.rawText, message.record.raw, message.rawTextTruncated);

    if (message.isFromFile()) {
        m_envelope->setFile(message.sourceFile);
        m_deliveries->showMessage(0);
        m_transcript->setTranscript({});
        m_transcriptNote->setText(tr("Opened from a file: there is no SMTP transcript."));
        m_transcriptNote->show();
    } else {
        m_envelope->setMessage(message.record);
        m_deliveries->showMessage(message.record.id);
        m_transcript->setTranscript(message.transcript);
        m_transcriptNote->setVisible(message.transcript.isEmpty());
        m_transcriptNote->setText(tr("The store no longer has this message's session."));
        m_transcript->highlightEntries(message.record.transcriptFirst,
                                       message.record.transcriptLast);
    }
    showWarnings(message);
    m_checks->setMessage(preview.key, message);
    if (m_tabs->currentIndex() == ChecksTab)
        m_checks->run();
    Q_EMIT loaded();
}

void MessageInspector::showSummary(const LoadedMessage &message)
{
    const DecodedMessage &d = *message.decoded;
    m_subject->setText(d.subject.isEmpty() ? tr("(no subject)") : d.subject);
    QStringList lines;
    const auto line = [&lines](const QString &label, const QString &value) {
        if (!value.isEmpty())
            lines.append(QStringLiteral("<b>%1</b> %2").arg(label, value.toHtmlEscaped()));
    };
    line(tr("From:"), addressList(d.from));
    line(tr("To:"), addressList(d.to));
    line(tr("Cc:"), addressList(d.cc));
    if (d.date.isValid())
        line(tr("Date:"), QLocale().toString(d.date, QLocale::LongFormat));
    if (message.isFromFile()) {
        line(tr("File:"), QDir::toNativeSeparators(message.sourceFile));
    } else {
        lines.append(QStringLiteral("<b>%1</b> %2 · <a href=\"session:%3\">%4</a>")
                         .arg(tr("Size:"), QLocale().formattedDataSize(message.record.raw.size()))
                         .arg(message.record.sessionId)
                         .arg(tr("Session #%1").arg(message.record.sessionId)));
    }
    m_addresses->setText(lines.join(QStringLiteral("<br>")));
}

void MessageInspector::showWarnings(const LoadedMessage &message)
{
    m_warnings->clear();
    for (const QString &warning : message.record.warnings)
        m_warnings->addItem(new QListWidgetItem(Icons::warning(), tr("SMTP: %1").arg(warning)));
    for (const MimeWarning &warning : message.decoded->warnings) {
        const QString text = warning.offset >= 0
                                 ? tr("MIME at byte %1: %2").arg(warning.offset).arg(warning.text)
                                 : tr("MIME: %1").arg(warning.text);
        m_warnings->addItem(new QListWidgetItem(Icons::warning(), text));
    }
    if (!message.decoded->hasHeader) {
        m_warnings->addItem(new QListWidgetItem(
            Icons::warning(), tr("The data does not start with a header: shown as plain text")));
    }
    const int count = m_warnings->count();
    m_tabs->setTabText(WarningsTab, count > 0 ? tr("Warnings (%1)").arg(count) : tr("Warnings"));
    m_tabs->setTabIcon(WarningsTab, count > 0 ? Icons::warning() : QIcon());
}
