#pragma once

#include "HtmlPreview.h"

#include <QSet>

class QTextBrowser;

// The HTML preview without Chromium: QTextBrowser renders a subset of HTML and CSS, loads only
// the message's own parts (cid: and Content-Location) and nothing remote.
class TextBrowserHtmlPreview : public HtmlPreview
{
    Q_OBJECT
public:
    explicit TextBrowserHtmlPreview(QWidget *parent = nullptr);

    void setMessage(const PreviewMessage &message, bool allowRemote) override;
    void clear() override;
    void saveAsPdf(const QString &path, std::function<void(bool ok)> done) override;
    int blockedRequests() const override { return int(m_blocked.size()); }
    bool canLoadRemote() const override { return false; }

    QTextBrowser *browser() const { return m_browser; }

private:
    friend class MessageTextBrowser;
    QVariant loadResource(int type, const QUrl &url);

    QTextBrowser *m_browser;
    PreviewMessage m_message;
    QSet<QString> m_blocked;
};
