#pragma once

// Do its links work? The link check: every http(s) link and image of a message, requested with
// QNetworkAccessManager — HEAD, then GET when the server refuses HEAD — at most a few at once and
// one per host at a time, redirects followed and each hop kept. Only ever on demand: opening a
// link can confirm a subscription or count as a click.

#include "mime/DecodedMessage.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

struct LinkHop
{
    QString url;
    int statusCode = 0;
};

struct LinkStatus
{
    QString url;
    int statusCode = 0;       // of the last answer; 0 when none came
    QString status;           // "OK", "Not Found", or what went wrong
    QString method;           // "HEAD" or "GET": what the last answer was to
    QList<LinkHop> redirects; // the answers that redirected, in order

    bool isError() const { return statusCode == 0 || statusCode >= 400; }
};

struct LinkCheckReport
{
    int errors = 0;
    QList<LinkStatus> links;
    int notChecked = 0; // links over kMaxCheckedLinks
};

struct LinkCheckSettings
{
    int timeoutMs = 10000; // per request
    int maxParallel = 5;
    int maxPerHost = 1;
    bool followRedirects = true;
    int maxRedirects = 10;
};

// A message with more links than this gets the first ones checked and a note that says so.
constexpr int kMaxCheckedLinks = 500;

// The distinct http(s) URLs of a message in the order they first appear: <a href> and
// <area href> in its HTML, the remote resources its HTML would load (HtmlResources.h), and
// URLs written in its text part.
QStringList findMessageLinks(const DecodedMessage &message);
// URLs written in plain text, ending at white space, quotes or angle brackets.
QStringList findTextLinks(const QString &text);

class LinkChecker : public QObject
{
    Q_OBJECT
public:
    LinkChecker(const QStringList &urls, const LinkCheckSettings &settings,
                QObject *parent = nullptr);
    ~LinkChecker() override;

    void start();

Q_SIGNALS:
    void finished(const LinkCheckReport &report);

private:
    struct Job;
    void pump();
    void request(Job &job);
    void release(Job &job);
    void done();
    static QString hostOf(const QUrl &url);

    LinkCheckSettings m_settings;
    QNetworkAccessManager *m_network;
    QList<std::shared_ptr<Job>> m_jobs;
    QList<std::shared_ptr<Job>> m_queue;
    QHash<QString, int> m_busyHosts;
    int m_active = 0;
    int m_remaining = 0;
    int m_notChecked = 0;
    bool m_started = false;
};
