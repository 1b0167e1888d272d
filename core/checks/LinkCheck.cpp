#include "LinkCheck.h"

#include "HtmlSource.h"
#include "mime/HtmlResources.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QTimer>

namespace {

bool isHttp(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") &&
           !url.host().isEmpty();
}

bool endsTextLink(QChar c)
{
    return c.isSpace() || c == u'"' || c == u'\'' || c == u'<' || c == u'>' || c == u'`';
}

// HEAD refused: the status codes servers send when they do not do HEAD.
bool refusesHead(int status)
{
    return status == 405 || status == 501 || status == 400;
}

} // namespace

QStringList findTextLinks(const QString &text)
{
    QStringList links;
    qsizetype from = 0;
    while (true) {
        const qsizetype http = text.indexOf(QLatin1String("http"), from, Qt::CaseInsensitive);
        if (http < 0)
            break;
        qsizetype end = http;
        while (end < text.size() && !endsTextLink(text.at(end)))
            ++end;
        QString candidate = text.mid(http, end - http);
        // Punctuation after a URL in prose belongs to the sentence.
        while (!candidate.isEmpty() && QStringLiteral(".,;:!?)]}").contains(candidate.back()))
            candidate.chop(1);
        if (candidate.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
            candidate.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
            links.append(candidate);
        from = std::max(end, http + 4);
    }
    return links;
}

QStringList findMessageLinks(const DecodedMessage &message)
{
    QStringList links;
    QSet<QString> seen;
    const auto add = [&](const QString &url) {
        const QString trimmed = url.trimmed();
        if (isHttp(QUrl(trimmed)) && !seen.contains(trimmed)) {
            seen.insert(trimmed);
            links.append(trimmed);
        }
    };
    if (!message.htmlBody.isEmpty()) {
        const HtmlSource source = parseHtmlSource(message.htmlBody.toUtf8());
        for (const HtmlSourceElement &element : source.elements) {
            if (element.tag != u"a" && element.tag != u"area")
                continue;
            if (const HtmlSourceAttribute *href = element.attribute(QStringLiteral("href")))
                add(href->value);
        }
        for (const RemoteResource &resource : findRemoteResources(message.htmlBody))
            add(resource.url);
    }
    for (const QString &url : findTextLinks(message.textBody))
        add(url);
    return links;
}

struct LinkChecker::Job
{
    LinkStatus status;
    QUrl current;
    QString method = QStringLiteral("HEAD");
    QString host; // the one it holds a slot for while running
    QNetworkReply *reply = nullptr;
    QTimer *timer = nullptr;
};

LinkChecker::LinkChecker(const QStringList &urls, const LinkCheckSettings &settings,
                         QObject *parent)
    : QObject(parent), m_settings(settings), m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    const qsizetype checked = std::min<qsizetype>(urls.size(), kMaxCheckedLinks);
    m_notChecked = static_cast<int>(urls.size() - checked);
    for (qsizetype i = 0; i < checked; ++i) {
        auto job = std::make_shared<Job>();
        job->status.url = urls[i];
        job->current = QUrl(urls[i]);
        m_jobs.append(job);
    }
}

LinkChecker::~LinkChecker()
{
    for (const auto &job : m_jobs) {
        if (job->reply) {
            job->reply->disconnect(this);
            job->reply->abort();
        }
    }
}

QString LinkChecker::hostOf(const QUrl &url)
{
    return url.host().toLower();
}

void LinkChecker::start()
{
    if (m_started)
        return;
    m_started = true;
    m_queue = m_jobs;
    m_remaining = static_cast<int>(m_jobs.size());
    if (m_remaining == 0) {
        QTimer::singleShot(0, this, [this] { Q_EMIT finished({0, {}, m_notChecked}); });
        return;
    }
    pump();
}

void LinkChecker::pump()
{
    for (qsizetype i = 0; i < m_queue.size() && m_active < m_settings.maxParallel;) {
        const std::shared_ptr<Job> job = m_queue[i];
        const QString host = hostOf(job->current);
        if (m_busyHosts.value(host) >= m_settings.maxPerHost) {
            ++i;
            continue;
        }
        m_queue.removeAt(i);
        job->host = host;
        ++m_busyHosts[host];
        ++m_active;
        request(*job);
    }
}

void LinkChecker::request(Job &job)
{
    QNetworkRequest networkRequest(job.current);
    networkRequest.setHeader(QNetworkRequest::UserAgentHeader,
                             QStringLiteral("smtpeek link check"));
    networkRequest.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                                QNetworkRequest::ManualRedirectPolicy);
    job.reply =
        job.method == u"HEAD" ? m_network->head(networkRequest) : m_network->get(networkRequest);
    job.timer = new QTimer(job.reply);
    job.timer->setSingleShot(true);
    QNetworkReply *reply = job.reply;
    Job *jobPointer = &job;
    connect(job.timer, &QTimer::timeout, this, [this, jobPointer, reply] {
        if (jobPointer->reply != reply)
            return;
        jobPointer->reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        jobPointer->status.statusCode = 0;
        jobPointer->status.status =
            QStringLiteral("no answer within %1 s").arg(m_settings.timeoutMs / 1000.0);
        jobPointer->status.method = jobPointer->method;
        release(*jobPointer);
        done();
    });
    // A GET needs only the status line and headers; the body is not read.
    if (job.method == u"GET")
        connect(reply, &QNetworkReply::metaDataChanged, this, [reply] {
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid())
                reply->abort(); // finished() follows, with the status kept
        });
    connect(reply, &QNetworkReply::finished, this, [this, jobPointer, reply] {
        if (jobPointer->reply != reply)
            return;
        jobPointer->reply = nullptr;
        reply->deleteLater();
        Job &job = *jobPointer;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        job.status.method = job.method;
        if (job.method == u"HEAD" && (refusesHead(status) || status == 0)) {
            job.method = QStringLiteral("GET"); // HEAD refused (or the connection dropped)
            request(job);
            return;
        }
        job.status.statusCode = status;
        job.status.status =
            status == 0 ? reply->errorString()
                        : reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        release(job);
        if (status >= 300 && status < 400 && location.isValid() && m_settings.followRedirects) {
            job.status.redirects.append({job.current.toString(), status});
            job.current = job.current.resolved(location);
            job.method = QStringLiteral("HEAD");
            if (job.status.redirects.size() > m_settings.maxRedirects) {
                job.status.statusCode = 0;
                job.status.status =
                    QStringLiteral("more than %1 redirects").arg(m_settings.maxRedirects);
            } else if (!isHttp(job.current)) {
                job.status.statusCode = 0;
                job.status.status = QStringLiteral("redirected to %1").arg(job.current.toString());
            } else { // the next hop waits for a slot on its own host like any other request
                for (const auto &shared : m_jobs)
                    if (shared.get() == jobPointer)
                        m_queue.prepend(shared);
                pump();
                return;
            }
        }
        done();
    });
    job.timer->start(m_settings.timeoutMs);
}

void LinkChecker::release(Job &job)
{
    if (--m_busyHosts[job.host] == 0)
        m_busyHosts.remove(job.host);
    --m_active;
}

void LinkChecker::done()
{
    if (--m_remaining == 0) {
        LinkCheckReport report;
        report.notChecked = m_notChecked;
        for (const auto &each : m_jobs) {
            report.links.append(each->status);
            report.errors += each->status.isError() ? 1 : 0;
        }
        Q_EMIT finished(report);
        return;
    }
    pump();
}
