#include "ConfigFile.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

QString defaultConfigPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/smtpeek/smtpeek.ini");
}

QString defaultRulesPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/smtpeek/rules.json");
}

std::optional<ConfigFile> readConfigFile(const QString &path, QString *error)
{
    ConfigFile file;
    file.path = path;
    const QFileInfo info(path);
    if (!info.exists())
        return file;
    if (!info.isFile() || !info.isReadable()) {
        *error = QStringLiteral("cannot read the config file %1").arg(path);
        return std::nullopt;
    }
    const QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        *error = QStringLiteral("the config file %1 is not in INI form").arg(path);
        return std::nullopt;
    }
    for (const QString &key : settings.allKeys()) {
        const QVariant value = settings.value(key);
        // QSettings splits an unquoted "a,b" into a list: the option gets the text as written.
        file.values.insert(key, value.typeId() == QMetaType::QStringList
                                    ? value.toStringList().join(u',')
                                    : value.toString());
    }
    return file;
}

bool updateConfigFile(const QString &path, const QMap<QString, std::optional<QString>> &changes,
                      QString *error)
{
    const QFileInfo info(path);
    const bool created = !info.exists();
    if (!QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    {
        QSettings settings(path, QSettings::IniFormat);
        for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
            if (it.value())
                settings.setValue(it.key(), *it.value());
            else
                settings.remove(it.key());
        }
        settings.sync();
        if (settings.status() != QSettings::NoError) {
            *error = QStringLiteral("cannot write the config file %1").arg(path);
            return false;
        }
    }
    if (created && QFileInfo::exists(path))
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}
