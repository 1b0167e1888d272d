#include "DesktopSettings.h"

#include "ConfigFile.h"
#include "Options.h"

DesktopSettings DesktopSettings::fromOptions(const AppOptions &o)
{
    DesktopSettings s;
    s.listenAddress = o.listenAddress.toString();
    s.listenPort = o.listenPort;
    s.hostname = o.hostname;
    s.maxMessageSize = o.limits.maxMessageSize;
    s.startOnLaunch = o.desktop.startOnLaunch;
    s.memoryStore = o.memoryStore;
    s.databasePath = o.databasePath;
    s.retainMessages = o.retainMessages;
    s.retainSessions = o.retainSessions;
    s.security = o.security;
    s.smtpsPort = o.smtpsPort.value_or(0);
    s.relay = o.relay;
    s.notifyNewMail = o.desktop.notifyNewMail;
    s.safePreview = o.desktop.safePreview;
    s.spamAssassin = o.api.spamAssassin;
    s.dkimKeysFile = o.api.dkimKeysFile;
    s.webhookUrl = o.api.webhookUrl;
    s.webhookLimit = o.api.webhookLimit;
    return s;
}

void DesktopSettings::applyTo(AppOptions &o) const
{
    parseHostAddress(listenAddress, &o.listenAddress);
    o.listenPort = listenPort;
    o.hostname = hostname;
    o.limits.maxMessageSize = maxMessageSize;
    o.desktop.startOnLaunch = startOnLaunch;
    o.memoryStore = memoryStore;
    o.databasePath = databasePath;
    o.retainMessages = retainMessages;
    o.retainSessions = retainSessions;
    o.security = security;
    o.smtpsPort = smtpsPort ? std::optional<quint16>(smtpsPort) : std::nullopt;
    o.relay = relay;
    o.desktop.notifyNewMail = notifyNewMail;
    o.desktop.safePreview = safePreview;
    o.api.webhookUrl = webhookUrl;
    o.api.webhookLimit = webhookLimit;
}

bool saveSettingsChanges(const QString &configPath, const DesktopSettings &before,
                         const DesktopSettings &after, QString *error)
{
    const AppOptions defaults;
    AppOptions was;
    before.applyTo(was);
    AppOptions is;
    after.applyTo(is);
    const QMap<QString, QString> defaultTexts = configTexts(defaults);
    const QMap<QString, QString> wasTexts = configTexts(was);
    const QMap<QString, QString> isTexts = configTexts(is);
    QMap<QString, std::optional<QString>> changes;
    for (auto it = isTexts.cbegin(); it != isTexts.cend(); ++it) {
        if (wasTexts.value(it.key()) == it.value())
            continue;
        // A default is no choice: leave the key out so a later default applies.
        changes.insert(it.key(), it.value() == defaultTexts.value(it.key())
                                     ? std::nullopt
                                     : std::optional<QString>(it.value()));
    }
    return changes.isEmpty() || updateConfigFile(configPath, changes, error);
}
