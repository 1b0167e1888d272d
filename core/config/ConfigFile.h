#pragma once

#include <QHash>
#include <QMap>
#include <QString>

#include <optional>

// The INI file that holds the command line's options as keys ("listen=127.0.0.1:2525",
// "tls-auto=true"), read by both modes and written by the desktop's Settings.
struct ConfigFile
{
    QString path;
    QHash<QString, QString> values; // option name -> text; a key in a [group] is "group/key"
};

// <per-user config folder>/smtpeek/smtpeek.ini, e.g. ~/.config/smtpeek/smtpeek.ini.
QString defaultConfigPath();
// The rules file the desktop keeps its Rules panel in when --rules names none.
QString defaultRulesPath();

// A missing file reads as an empty one; an unreadable or malformed one gives nullopt.
std::optional<ConfigFile> readConfigFile(const QString &path, QString *error);

// Sets each key to its text, or removes it where the text is nullopt; other keys stay. A file
// this creates is readable by its owner only, as it may name credentials.
bool updateConfigFile(const QString &path, const QMap<QString, std::optional<QString>> &changes,
                      QString *error);
