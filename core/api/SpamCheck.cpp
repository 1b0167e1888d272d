#include "SpamCheck.h"

#include "ApiSettings.h"

void SpamCheck::check(const QByteArray &message, std::function<void(const SpamReport &)> done)
{
    if (!m_spamAssassin) {
        const std::optional<SpamdAddress> address = parseSpamdAddress(m_option);
        if (!address) {
            SpamReport report;
            report.error = QStringLiteral(
                "no SpamAssassin configured: run smtpeek with --spamassassin HOST:PORT (a "
                "running spamd) or --spamassassin auto (Debian: apt install spamassassin), or "
                "set spamassassin= in the config file");
            done(report);
            return;
        }
        m_spamAssassin = std::make_unique<SpamAssassin>(address->host, address->port);
    }
    m_spamAssassin->check(message, std::move(done));
}
