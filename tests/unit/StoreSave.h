#pragma once

#include "store/MessageStore.h"

#include <QObject>
#include <QTest>

// Saves and waits for the acknowledgement, as a session does.
inline bool save(MessageStore &store, const MessageRecord &m)
{
    QObject context;
    bool answered = false;
    bool stored = false;
    store.saveMessage(m, &context, [&](bool ok) {
        answered = true;
        stored = ok;
    });
    return QTest::qWaitFor([&] { return answered; }, 5000) && stored;
}
