#pragma once

#include "HtmlPreview.h"

#include <QSet>
#include <QWidget>

class NoticeBar;
class PreviewDeviceBar;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;

// The Preview tab: the HTML body (rendered safely) or the text body, with a toggle between
// them and the "N remote resources blocked" bar that lets the user load them for one message.
class MessagePreview : public QWidget
{
    Q_OBJECT
public:
    enum class Mode
    {
        Html,
        Text
    };

    explicit MessagePreview(bool safeMode, QWidget *parent = nullptr);

    void setMessage(const PreviewMessage &message);
    void clear();
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void toggleMode();

    HtmlPreview *htmlPreview() const { return m_html; } // null until an HTML body is shown
    PreviewDeviceBar *deviceBar() const { return m_deviceBar; }
    // Renders the HTML at `width` pixels (a device's), or the pane's width for 0.
    void setDeviceWidth(int width);
    // The rendered HTML to a file; `done` says whether it was written. PNG: what is visible.
    void savePdf(const QString &path, std::function<void(bool ok)> done);
    bool savePng(const QString &path);
    QPlainTextEdit *textView() const { return m_text; }
    NoticeBar *remoteNotice() const { return m_notice; }

private:
    void showCurrent();
    void chooseFileAndSave(const QString &suffix);
    void updateNotice(int blocked);
    HtmlPreview *ensureHtmlPreview();

    bool m_safeMode;
    Mode m_mode = Mode::Html;
    PreviewMessage m_message;
    QSet<QString> m_remoteAllowed; // message keys
    QToolButton *m_htmlButton;
    QToolButton *m_textButton;
    NoticeBar *m_notice;
    QStackedWidget *m_stack;
    QPlainTextEdit *m_text;
    HtmlPreview *m_html = nullptr;
    PreviewDeviceBar *m_deviceBar;
    QWidget *m_htmlPage; // centres the preview at a device's width
    int m_deviceWidth = 0;
};
