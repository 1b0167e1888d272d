#pragma once

#include "HtmlPreview.h"

#include <QSet>
#include <QWidget>

class NoticeBar;
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
    QPlainTextEdit *textView() const { return m_text; }
    NoticeBar *remoteNotice() const { return m_notice; }

private:
    void showCurrent();
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
};
