#include "WebEngineHtmlPreview.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QTextStream>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineSettings>
#include <QWebEngineUrlRequestInterceptor>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>
#include <QWebEngineUrlSchemeHandler>
#include <QWebEngineView>

#include <atomic>
#include <memory>
#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace {
const QByteArray kMessageScheme = "smtpeek-message";
const QByteArray kCidScheme = "cid";

bool isRemoteScheme(const QString &scheme)
{
    return scheme == u"http" || scheme == u"https" || scheme == u"ftp" || scheme == u"ws" ||
           scheme == u"wss";
}

bool opensInBrowser(const QUrl &url)
{
    const QString scheme = url.scheme();
    return scheme == u"http" || scheme == u"https" || scheme == u"mailto";
}
} // namespace

// Blocks remote requests for the page's whole life and counts them. Chromium may call it from
// another thread than the GUI's, so the state is atomic and the count is reported queued.
class RemoteRequestBlocker : public QWebEngineUrlRequestInterceptor
{
    Q_OBJECT
public:
    using QWebEngineUrlRequestInterceptor::QWebEngineUrlRequestInterceptor;

    void interceptRequest(QWebEngineUrlRequestInfo &info) override
    {
        const QString scheme = info.requestUrl().scheme();
        if (scheme == u"file") {
            info.block(true); // a mail has no business reading local files
            return;
        }
        if (!isRemoteScheme(scheme) || m_allowRemote)
            return;
        info.block(true);
        const int count = ++m_blocked;
        QMetaObject::invokeMethod(
            this, [this, count] { Q_EMIT blockedChanged(count); }, Qt::QueuedConnection);
    }

    void reset(bool allowRemote)
    {
        m_allowRemote = allowRemote;
        m_blocked = 0;
    }
    int blocked() const { return m_blocked; }

Q_SIGNALS:
    void blockedChanged(int count);

private:
    std::atomic<bool> m_allowRemote{false};
    std::atomic<int> m_blocked{0};
};

// Serves smtpeek-message://<key>/ (the HTML body), smtpeek-message://<key>/<location> (parts by
// Content-Location) and cid:<content-id> (parts by Content-ID) for the current message.
class MessageSchemeHandler : public QWebEngineUrlSchemeHandler
{
public:
    using QWebEngineUrlSchemeHandler::QWebEngineUrlSchemeHandler;

    void setMessage(const PreviewMessage &message) { m_message = message; }

    void requestStarted(QWebEngineUrlRequestJob *job) override
    {
        const QUrl url = job->requestUrl();
        if (url.scheme().toLatin1() == kCidScheme) {
            replyWithPart(job, url.toString());
            return;
        }
        if (url.host() != m_message.key || !m_message.decoded) {
            job->fail(QWebEngineUrlRequestJob::UrlNotFound);
            return;
        }
        const QString path = url.path(QUrl::FullyDecoded).mid(1);
        if (path.isEmpty()) {
            // The BOM makes Chromium read UTF-8 whatever charset the HTML's own <meta> claims:
            // the decoder has already converted the body.
            reply(job, "text/html", "\xef\xbb\xbf" + m_message.decoded->htmlBody.toUtf8());
            return;
        }
        replyWithPart(job, path);
    }

private:
    void replyWithPart(QWebEngineUrlRequestJob *job, const QString &reference)
    {
        const std::optional<RelatedResource> part = m_message.resource(reference);
        if (!part) {
            job->fail(QWebEngineUrlRequestJob::UrlNotFound);
            return;
        }
        reply(job,
              part->mimeType.isEmpty() ? QByteArray("application/octet-stream")
                                       : part->mimeType.toLatin1(),
              part->content);
    }

    static void reply(QWebEngineUrlRequestJob *job, const QByteArray &mimeType,
                      const QByteArray &bytes)
    {
        auto *buffer = new QBuffer(job);
        buffer->setData(bytes);
        buffer->open(QIODevice::ReadOnly);
        job->reply(mimeType, buffer);
    }

    PreviewMessage m_message;
};

namespace {
// A page created for a link with target="_blank": it never shows anything, it hands the
// URL to the system browser and goes away.
class ExternalLinkPage : public QWebEnginePage
{
public:
    using QWebEnginePage::QWebEnginePage;

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType, bool) override
    {
        if (opensInBrowser(url))
            QDesktopServices::openUrl(url);
        deleteLater();
        return false;
    }
};

// The preview page: loads only our own message URL; a click on a link opens the system
// browser; frames, meta refresh, form submission and every other navigation are refused.
class PreviewPage : public QWebEnginePage
{
public:
    using QWebEnginePage::QWebEnginePage;

    void show(const QUrl &document)
    {
        m_document = document;
        load(document);
    }

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override
    {
        const bool ownDocument =
            url.adjusted(QUrl::RemoveFragment) == m_document.adjusted(QUrl::RemoveFragment);
        if (isMainFrame && ownDocument && type != NavigationTypeFormSubmitted)
            return true; // our load, a reload, or a jump to an anchor in the message
        if (type == NavigationTypeLinkClicked && opensInBrowser(url))
            QDesktopServices::openUrl(url);
        return false;
    }

    QWebEnginePage *createWindow(WebWindowType) override
    {
        return new ExternalLinkPage(profile(), this);
    }

private:
    QUrl m_document;
};
} // namespace

WebEngineHtmlPreview::WebEngineHtmlPreview(QWidget *parent) : HtmlPreview(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
}

WebEngineHtmlPreview::~WebEngineHtmlPreview()
{
    // The page must go before the profile it uses.
    delete m_view;
}

void WebEngineHtmlPreview::prepareProcess()
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    // Neither scheme is "local" or "secure": Chromium would then refuse remote requests (as
    // local content, or as mixed content) before the interceptor sees them, so they could be
    // neither counted nor allowed. The interceptor is what keeps them from leaving.
    QWebEngineUrlScheme message(kMessageScheme);
    message.setSyntax(QWebEngineUrlScheme::Syntax::Host);
    QWebEngineUrlScheme::registerScheme(message);
    QWebEngineUrlScheme cid(kCidScheme);
    cid.setSyntax(QWebEngineUrlScheme::Syntax::Path);
    QWebEngineUrlScheme::registerScheme(cid);

    // Chromium refuses to run as root with its sandbox and takes the process down with it.
    // (Windows has no root: nothing to do there.)
#ifdef Q_OS_UNIX
    if (geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX")) {
        qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
        QTextStream(stderr) << "smtpeek: running as root, so the HTML preview runs without "
                               "Chromium's sandbox\n";
    }
#endif
}

void WebEngineHtmlPreview::createView()
{
    // No storage name: off the record, nothing written to disk.
    m_profile = new QWebEngineProfile(this);
    m_profile->setHttpCacheType(QWebEngineProfile::MemoryHttpCache);
    m_profile->setPersistentCookiesPolicy(QWebEngineProfile::NoPersistentCookies);
    m_profile->setSpellCheckEnabled(false);
    m_blocker = new RemoteRequestBlocker(m_profile);
    m_profile->setUrlRequestInterceptor(m_blocker);
    m_handler = new MessageSchemeHandler(m_profile);
    m_profile->installUrlSchemeHandler(kMessageScheme, m_handler);
    m_profile->installUrlSchemeHandler(kCidScheme, m_handler);

    QWebEngineSettings *settings = m_profile->settings();
    settings->setAttribute(QWebEngineSettings::JavascriptEnabled, false);
    settings->setAttribute(QWebEngineSettings::JavascriptCanOpenWindows, false);
    settings->setAttribute(QWebEngineSettings::JavascriptCanAccessClipboard, false);
    settings->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
    settings->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
    settings->setAttribute(QWebEngineSettings::PluginsEnabled, false);
    settings->setAttribute(QWebEngineSettings::AutoLoadIconsForPage, false);
    settings->setAttribute(QWebEngineSettings::ErrorPageEnabled, false);
    settings->setAttribute(QWebEngineSettings::NavigateOnDropEnabled, false);
    settings->setAttribute(QWebEngineSettings::DnsPrefetchEnabled, false);
    settings->setAttribute(QWebEngineSettings::PdfViewerEnabled, false);
    settings->setAttribute(QWebEngineSettings::WebRTCPublicInterfacesOnly, true);

    m_view = new QWebEngineView(this);
    m_view->setPage(new PreviewPage(m_profile, m_view));
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
    layout()->addWidget(m_view);
    connect(m_blocker, &RemoteRequestBlocker::blockedChanged, this,
            &HtmlPreview::blockedRequestsChanged);
    connect(m_view, &QWebEngineView::loadFinished, this, &WebEngineHtmlPreview::loadFinished);
}

void WebEngineHtmlPreview::setMessage(const PreviewMessage &message, bool allowRemote)
{
    if (!m_view)
        createView();
    m_handler->setMessage(message);
    m_blocker->reset(allowRemote);
    Q_EMIT blockedRequestsChanged(0);
    QUrl url;
    url.setScheme(QString::fromLatin1(kMessageScheme));
    url.setHost(message.key);
    url.setPath(QStringLiteral("/"));
    static_cast<PreviewPage *>(m_view->page())->show(url);
}

void WebEngineHtmlPreview::clear()
{
    if (!m_view)
        return;
    m_handler->setMessage(PreviewMessage());
    m_blocker->reset(false);
    static_cast<PreviewPage *>(m_view->page())->show(QUrl(QStringLiteral("about:blank")));
}

void WebEngineHtmlPreview::saveAsPdf(const QString &path, std::function<void(bool ok)> done)
{
    if (!m_view) {
        done(false);
        return;
    }
    // Chromium prints in its own process; the page reports when the file is written.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_view->page(), &QWebEnginePage::pdfPrintingFinished, this,
                          [connection, path, done](const QString &written, bool ok) {
                              if (written != path)
                                  return;
                              QObject::disconnect(*connection);
                              done(ok);
                          });
    m_view->page()->printToPdf(path);
}

int WebEngineHtmlPreview::blockedRequests() const
{
    return m_blocker ? m_blocker->blocked() : 0;
}

#include "WebEngineHtmlPreview.moc"
