#pragma once

#include "LoadedMessage.h"

#include <QWidget>

class BackgroundWork;
class DeliveriesView;
class ChecksPane;
class EnvelopePane;
class HeaderTableModel;
class MessagePreview;
class MessageStore;
class NoticeBar;
class PartsPane;
class QCheckBox;
class QLabel;
class QListWidget;
class QTabWidget;
class QTableView;
class RawSourceView;
class TranscriptView;

// Everything about one message, stored or opened from a file: a header summary, then the
// Preview, Headers, Parts, Raw, Transcript, Envelope, Warnings and Checks tabs. Reading and
// decoding run in a worker thread, so a 25 MB message never freezes the window; when the user moves
// on before a load finishes, its result is dropped.
class MessageInspector : public QWidget
{
    Q_OBJECT
public:
    enum Tab
    {
        PreviewTab,
        HeadersTab,
        PartsTab,
        RawTab,
        TranscriptTab,
        EnvelopeTab,
        WarningsTab,
        DeliveriesTab,
        ChecksTab
    };

    MessageInspector(const MessageStore *store, bool safePreview, QWidget *parent = nullptr);

    void showStored(qint64 id);
    void showFile(const QString &path);
    void clear();

    // The message on display (null while nothing is shown or loading).
    const LoadedMessage *current() const;
    qint64 currentId() const; // 0 for none or a file
    bool isLoading() const { return m_loading; }

    QTabWidget *tabs() const { return m_tabs; }
    MessagePreview *preview() const { return m_preview; }
    HeaderTableModel *headers() const { return m_headers; }
    PartsPane *parts() const { return m_parts; }
    RawSourceView *raw() const { return m_raw; }
    TranscriptView *transcript() const { return m_transcript; }
    EnvelopePane *envelope() const { return m_envelope; }
    QListWidget *warnings() const { return m_warnings; }
    DeliveriesView *deliveries() const { return m_deliveries; }
    ChecksPane *checks() const { return m_checks; }

Q_SIGNALS:
    void loaded();
    void sessionRequested(qint64 sessionId);
    void statusMessage(const QString &text);

private:
    void startLoading(const QString &what);
    void show(const LoadedMessage &message);
    void showSummary(const LoadedMessage &message);
    void showWarnings(const LoadedMessage &message);

    const MessageStore *m_store;
    BackgroundWork *m_work;
    quint64 m_ticket = 0;
    bool m_loading = false;
    std::unique_ptr<LoadedMessage> m_current;

    QLabel *m_subject;
    QLabel *m_addresses;
    NoticeBar *m_notice;
    QTabWidget *m_tabs;
    MessagePreview *m_preview;
    HeaderTableModel *m_headers;
    QTableView *m_headerView;
    QCheckBox *m_rawHeaders;
    PartsPane *m_parts;
    RawSourceView *m_raw;
    TranscriptView *m_transcript;
    QLabel *m_transcriptNote;
    EnvelopePane *m_envelope;
    QListWidget *m_warnings;
    DeliveriesView *m_deliveries;
    ChecksPane *m_checks;
};
