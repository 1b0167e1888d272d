#pragma once

// The caniemail.com support data (MIT licence, see resources/caniemail/LICENSE), compiled into
// the program from resources/caniemail/caniemail.json, which scripts/update-caniemail.sh
// regenerates from the npm package `caniemail`.

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

// One tested client version: "y", "n", "a" (partial) or "u" (unknown), with a note number.
struct CaniemailStat
{
    QString family;   // "outlook"
    QString platform; // "windows"
    QString version;  // "2019"
    char support = 'u';
    QString note; // "1" for "a #1"; empty when none
};

struct CaniemailFeature
{
    QString slug;
    QString title;
    QString description; // Markdown, as caniemail writes it
    QString url;
    QString category; // html, css, image, others
    QStringList tags;
    QString keywords;
    QMap<QString, QString> notesByNumber;
    QList<CaniemailStat> stats; // by family, platform and version name
};

struct CaniemailData
{
    QString apiVersion;
    QString lastUpdate;                    // "2026-05-13 14:45:41 +0000"
    QHash<QString, QString> familyNames;   // "apple-mail" -> "Apple Mail"
    QHash<QString, QString> platformNames; // "desktop-webmail" -> "Desktop Webmail"
    QList<CaniemailFeature> features;
    QHash<QString, qsizetype> bySlug;

    const CaniemailFeature *feature(const QString &slug) const;
    // Every platform with the client families tested on it, names sorted: Mailpit's "Platforms".
    QMap<QString, QStringList> platforms() const;
};

// Parses the JSON of a caniemail data file; empty on malformed input.
CaniemailData parseCaniemailData(const QByteArray &json);
// The data compiled into the program, parsed once on first use (thread-safe).
const CaniemailData &caniemailData();
