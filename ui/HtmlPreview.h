#pragma once

#include "mime/DecodedMessage.h"
#include "mime/HtmlResources.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

// The message an HTML preview shows. `key` names it in URLs and tells messages apart.
struct PreviewMessage
{
    QString key;
    QByteArray raw;
    std::shared_ptr<const DecodedMessage> decoded;

    // The message's own part that `url` (cid: or a Content-Location) refers to.
    std::optional<RelatedResource> resource(const QString &url) const;
};

// Renders a message's HTML body without letting it reach the network: remote requests are
// blocked and counted until the user allows them for that message, links open in the system
// browser, scripts never run. Two renderers implement it: Chromium (Qt WebEngine) and, without
// WebEngine or in safe mode, QTextBrowser.
class HtmlPreview : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual void setMessage(const PreviewMessage &message, bool allowRemote) = 0;
    virtual void clear() = 0;
    // Remote requests blocked for the current message so far.
    virtual int blockedRequests() const = 0;
    // Whether allowing remote content can show it (QTextBrowser never fetches anything).
    virtual bool canLoadRemote() const = 0;
    // Prints the rendered message to a PDF file; `done` says whether it was written.
    virtual void saveAsPdf(const QString &path, std::function<void(bool ok)> done) = 0;

Q_SIGNALS:
    void blockedRequestsChanged(int count);
};

// Chromium when built with WebEngine and not in safe mode, QTextBrowser otherwise.
HtmlPreview *createHtmlPreview(bool safeMode, QWidget *parent);

// What the HTML preview needs before QApplication exists: shared OpenGL contexts, the URL
// schemes it serves, and (as root) Chromium's sandbox turned off with a warning on stderr.
void prepareHtmlPreviewProcess();
