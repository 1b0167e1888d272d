#include "LoadedMessage.h"

#include "mime/Headline.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

namespace {
void decodeInto(LoadedMessage &loaded)
{
    const QByteArray &raw = loaded.record.raw;
    loaded.decoded = std::make_shared<const DecodedMessage>(decodeMessage(raw));
    loaded.rawTextTruncated = raw.size() > kRawTextLimit;
    loaded.rawText = rawSourceText(loaded.rawTextTruncated ? raw.first(kRawTextLimit) : raw);
}
} // namespace

bool rawSourceIsLatin1(const QByteArray &raw)
{
    // Raw source is mostly ASCII; Latin-1 keeps every byte of anything else visible instead of
    // turning it into replacement marks.
    return QString::fromUtf8(raw).contains(QChar::ReplacementCharacter) &&
           !raw.contains("\xef\xbf\xbd");
}

QString rawSourceText(const QByteArray &raw)
{
    return rawSourceIsLatin1(raw) ? QString::fromLatin1(raw) : QString::fromUtf8(raw);
}

LoadedMessage loadStoredMessage(const MessageStore *store, qint64 id)
{
    LoadedMessage loaded;
    std::optional<MessageRecord> record = store->message(id);
    if (!record) {
        loaded.error = QObject::tr("Message %1 is no longer in the store.").arg(id);
        return loaded;
    }
    loaded.record = std::move(*record);
    if (std::optional<SessionRecord> session = store->session(loaded.record.sessionId))
        loaded.transcript = std::move(session->transcript);
    decodeInto(loaded);
    return loaded;
}

LoadedMessage loadMessageFile(const QString &path)
{
    LoadedMessage loaded;
    loaded.sourceFile = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.error = QObject::tr("Cannot open %1: %2").arg(path, file.errorString());
        return loaded;
    }
    loaded.record.raw = file.readAll();
    loaded.record.receivedMs = QFileInfo(path).lastModified().toMSecsSinceEpoch();
    loaded.record.headline = readHeadline(loaded.record.raw);
    decodeInto(loaded);
    return loaded;
}
