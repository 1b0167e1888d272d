#pragma once

#include "KeyRecordSource.h"

#include <QHostAddress>
#include <QThread>

class QObject;

// Key records from DNS TXT lookups (QDnsLookup), run in a thread of their own so that a
// lookUp() caller only waits, bounded by its timeout, and a slow server never stalls the
// caller's event loop work beyond that.
class DnsKeyRecordSource : public KeyRecordSource
{
public:
    // `nameserver` null: the system's resolver configuration.
    explicit DnsKeyRecordSource(const QHostAddress &nameserver = QHostAddress());
    ~DnsKeyRecordSource() override;
    DnsKeyRecordSource(const DnsKeyRecordSource &) = delete;
    DnsKeyRecordSource &operator=(const DnsKeyRecordSource &) = delete;

    QHash<QString, KeyRecordAnswer> lookUp(const QStringList &names, int timeoutMs) const override;

private:
    QHostAddress m_nameserver;
    QThread m_thread;
    QObject *m_context; // lives in m_thread; the lookups' parent
};
