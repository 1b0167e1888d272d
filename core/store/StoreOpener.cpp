#include "StoreOpener.h"

#include "store/MemoryStore.h"
#include "store/SqliteStore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

QString defaultDatabasePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("smtpeek.sqlite"));
}

QString databaseFile(const StoreOptions &options)
{
    if (options.memory)
        return {};
    return options.path.isEmpty() ? defaultDatabasePath() : options.path;
}

std::unique_ptr<MessageStore> openStore(const StoreOptions &options, QString *error)
{
    std::unique_ptr<MessageStore> store;
    if (options.memory) {
        store = std::make_unique<MemoryStore>();
    } else {
        const QString path = databaseFile(options);
        const QString folder = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(folder)) {
            *error = QStringLiteral("cannot create the folder %1").arg(folder);
            return nullptr;
        }
        auto sqlite = std::make_unique<SqliteStore>(
            path, options.fullSync ? SqliteStore::Sync::Full : SqliteStore::Sync::Normal);
        if (!sqlite->open(error))
            return nullptr;
        store = std::move(sqlite);
    }
    store->setRetention(options.retention);
    store->setTagRules(options.tagRules);
    return store;
}
