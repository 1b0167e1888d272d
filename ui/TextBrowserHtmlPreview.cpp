#include "TextBrowserHtmlPreview.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextBrowser>
#include <QVBoxLayout>

// Routes QTextBrowser's resource requests to the preview, which knows the message.
class MessageTextBrowser : public QTextBrowser
{
public:
    MessageTextBrowser(TextBrowserHtmlPreview *preview) : QTextBrowser(preview), m_preview(preview)
    {}

    QVariant loadResource(int type, const QUrl &url) override
    {
        return m_preview->loadResource(type, url);
    }

private:
    TextBrowserHtmlPreview *m_preview;
};

TextBrowserHtmlPreview::TextBrowserHtmlPreview(QWidget *parent)
    : HtmlPreview(parent), m_browser(new MessageTextBrowser(this))
{
    m_browser->setOpenLinks(false);
    m_browser->setOpenExternalLinks(false);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [](const QUrl &url) {
        const QString scheme = url.scheme();
        if (scheme == u"http" || scheme == u"https" || scheme == u"mailto")
            QDesktopServices::openUrl(url);
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
}

void TextBrowserHtmlPreview::setMessage(const PreviewMessage &message, bool)
{
    m_message = message;
    m_blocked.clear();
    m_browser->document()->clear();
    m_browser->setHtml(message.decoded ? message.decoded->htmlBody : QString());
    Q_EMIT blockedRequestsChanged(blockedRequests());
}

void TextBrowserHtmlPreview::clear()
{
    m_message = PreviewMessage();
    m_blocked.clear();
    m_browser->clear();
}

void TextBrowserHtmlPreview::saveAsPdf(const QString &path, std::function<void(bool ok)> done)
{
    QPdfWriter writer(path); // Qt GUI's own PDF engine: no print support module needed
    if (!writer.setPageSize(QPageSize(QPageSize::A4))) {
        done(false);
        return;
    }
    m_browser->document()->print(&writer);
    done(QFileInfo(path).size() > 0);
}

QVariant TextBrowserHtmlPreview::loadResource(int type, const QUrl &url)
{
    const QString text = url.toString();
    if (const std::optional<RelatedResource> part = m_message.resource(text)) {
        if (type == QTextDocument::ImageResource)
            return QImage::fromData(part->content);
        return part->content;
    }
    const QString scheme = url.scheme();
    if (scheme == u"http" || scheme == u"https" || scheme == u"ftp" || text.startsWith(u"//")) {
        if (!m_blocked.contains(text)) {
            m_blocked.insert(text);
            Q_EMIT blockedRequestsChanged(blockedRequests());
        }
    }
    return QVariant();
}
