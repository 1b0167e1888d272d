#include "DnsKeyRecordSource.h"

#include <QDnsLookup>
#include <QMutex>
#include <QTimer>
#include <QWaitCondition>

#include <memory>

namespace {
// The answers of one lookUp() call, shared with the lookups that may outlive the call.
struct PendingAnswers
{
    QMutex mutex;
    QWaitCondition done;
    QHash<QString, KeyRecordAnswer> answers;
    qsizetype expected = 0;
};

KeyRecordAnswer answerOf(const QDnsLookup &lookup)
{
    KeyRecordAnswer answer;
    switch (lookup.error()) {
    case QDnsLookup::NoError:
        answer.status = KeyRecordAnswer::Status::Found;
        for (const QDnsTextRecord &record : lookup.textRecords())
            answer.records.append(record.values().join());
        if (answer.records.isEmpty())
            answer.status = KeyRecordAnswer::Status::NotFound;
        break;
    case QDnsLookup::NotFoundError:
        answer.status = KeyRecordAnswer::Status::NotFound;
        break;
    case QDnsLookup::OperationCancelledError:
        answer.error = QStringLiteral("no answer in time");
        break;
    default:
        answer.error = lookup.errorString();
        break;
    }
    return answer;
}
} // namespace

DnsKeyRecordSource::DnsKeyRecordSource(const QHostAddress &nameserver)
    : m_nameserver(nameserver), m_context(new QObject)
{
    m_thread.setObjectName(QStringLiteral("smtpeek-dkim-dns"));
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

DnsKeyRecordSource::~DnsKeyRecordSource()
{
    m_thread.quit();
    m_thread.wait();
}

QHash<QString, KeyRecordAnswer> DnsKeyRecordSource::lookUp(const QStringList &names,
                                                           int timeoutMs) const
{
    auto pending = std::make_shared<PendingAnswers>();
    pending->expected = names.size();
    const QHostAddress nameserver = m_nameserver;
    QObject *context = m_context;
    QMetaObject::invokeMethod(m_context, [pending, names, nameserver, timeoutMs, context] {
        for (const QString &name : names) {
            auto *lookup = new QDnsLookup(QDnsLookup::TXT, name, context);
            if (!nameserver.isNull())
                lookup->setNameserver(nameserver);
            QObject::connect(lookup, &QDnsLookup::finished, lookup, [pending, name, lookup] {
                const KeyRecordAnswer answer = answerOf(*lookup);
                lookup->deleteLater();
                QMutexLocker locker(&pending->mutex);
                pending->answers.insert(name, answer);
                pending->done.wakeAll();
            });
            QTimer::singleShot(timeoutMs, lookup, &QDnsLookup::abort);
            lookup->lookup();
        }
    });

    QDeadlineTimer deadline(timeoutMs);
    QMutexLocker locker(&pending->mutex);
    while (pending->answers.size() < pending->expected) {
        if (!pending->done.wait(&pending->mutex, deadline))
            break;
    }
    QHash<QString, KeyRecordAnswer> answers = pending->answers;
    for (const QString &name : names) {
        if (!answers.contains(name))
            answers[name].error = QStringLiteral("no answer in %1 ms").arg(timeoutMs);
    }
    return answers;
}
