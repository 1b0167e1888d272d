#pragma once

#include "HtmlPreview.h"

class QWebEngineProfile;
class QWebEngineView;
class MessageSchemeHandler;
class RemoteRequestBlocker;

// The HTML preview in Chromium, locked down as design.md describes: an off-the-record profile
// of its own with JavaScript off; an interceptor that blocks (and counts) every http, https,
// ftp, ws and wss request until remote content is allowed for the message; a URL scheme
// handler that serves the body and its cid:/Content-Location parts (setHtml fails above 2 MB);
// navigation refused inside the pane, links handed to the system browser. The Chromium view is
// created on first use, so the window opens without waiting for it.
class WebEngineHtmlPreview : public HtmlPreview
{
    Q_OBJECT
public:
    explicit WebEngineHtmlPreview(QWidget *parent = nullptr);
    ~WebEngineHtmlPreview() override;

    void setMessage(const PreviewMessage &message, bool allowRemote) override;
    void clear() override;
    void saveAsPdf(const QString &path, std::function<void(bool ok)> done) override;
    int blockedRequests() const override;
    bool canLoadRemote() const override { return true; }

    QWebEngineView *view() const { return m_view; }

    // Before QApplication: see prepareHtmlPreviewProcess().
    static void prepareProcess();

Q_SIGNALS:
    void loadFinished(bool ok);

private:
    void createView();

    QWebEngineProfile *m_profile = nullptr;
    QWebEngineView *m_view = nullptr;
    RemoteRequestBlocker *m_blocker = nullptr;
    MessageSchemeHandler *m_handler = nullptr;
};
