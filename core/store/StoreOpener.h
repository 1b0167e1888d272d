#pragma once

#include "store/MessageStore.h"

#include <memory>

struct StoreOptions
{
    bool memory = false;
    QString path; // empty: smtpeek.sqlite in QStandardPaths::AppDataLocation
    bool fullSync = false;
    MessageStore::Retention retention;
    std::shared_ptr<const TagRules> tagRules = std::make_shared<const TagRules>();
};

// Opens the store the options describe; nullptr with a reason when it cannot.
std::unique_ptr<MessageStore> openStore(const StoreOptions &options, QString *error);
QString defaultDatabasePath();
// The SQLite file the options open; empty for the in-memory store.
QString databaseFile(const StoreOptions &options);
