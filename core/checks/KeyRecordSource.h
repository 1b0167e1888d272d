#pragma once

// Where DKIM and ARC key records come from: DNS TXT records, or a keys file for offline use
// and tests (--dkim-keys FILE).

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

struct KeyRecordAnswer
{
    enum class Status
    {
        Found,
        NotFound, // the name has no TXT record: a permanent failure
        TempError // timeout, server failure, unreadable keys file: try again later
    };
    Status status = Status::TempError;
    QList<QByteArray> records; // the TXT texts (character-strings joined) at the name
    QString error;
};

// Names are "selector._domainkey.domain", lower case.
class KeyRecordSource
{
public:
    virtual ~KeyRecordSource() = default;
    // Looks every name up and answers each, waiting at most `timeoutMs` in all. May block the
    // calling thread that long: call it off the GUI thread.
    virtual QHash<QString, KeyRecordAnswer> lookUp(const QStringList &names,
                                                   int timeoutMs) const = 0;
};

struct KeysFile
{
    QHash<QString, QList<QByteArray>> records;
    QStringList problems; // "line 3: ..." for lines that are not "name record"
};

// Lines "selector._domainkey.domain TXT-record"; the record may be written as in a zone
// file, as one or more "quoted" strings, which are joined. Blank lines and lines starting
// with '#' are skipped.
KeysFile parseKeysFile(QByteArrayView text);

// The records of a keys file, read again at each lookUp() so that edits apply at once.
class KeyFileSource : public KeyRecordSource
{
public:
    explicit KeyFileSource(const QString &path) : m_path(path) {}
    QHash<QString, KeyRecordAnswer> lookUp(const QStringList &names, int timeoutMs) const override;

private:
    QString m_path;
};
