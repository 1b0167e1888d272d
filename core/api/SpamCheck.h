#pragma once

#include "checks/SpamAssassin.h"

#include <functional>
#include <memory>

// The spam check as --spamassassin sets it up, for the API's /sa-check and the desktop's Checks
// tab alike: spamd at HOST:PORT, a spamd of its own for "auto" (started on first use), or, when
// the option is empty or malformed, an answer that says how to get one. Lives in one thread.
class SpamCheck
{
public:
    explicit SpamCheck(const QString &option = {}) : m_option(option) {}

    void check(const QByteArray &message, std::function<void(const SpamReport &)> done);

private:
    QString m_option;
    std::unique_ptr<SpamAssassin> m_spamAssassin; // made on first use
};
