#include "CaniemailData.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace {

QHash<QString, QString> names(const QJsonObject &object)
{
    QHash<QString, QString> out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

// "a #1" -> ('a', "1"); "y #2 #3" keeps the first note, as Mailpit's NoteNumber holds one.
CaniemailStat parseStat(const QString &value)
{
    CaniemailStat stat;
    const QString trimmed = value.trimmed();
    if (!trimmed.isEmpty() && QStringLiteral("ynau").contains(trimmed.front()))
        stat.support = trimmed.front().toLatin1();
    const qsizetype hash = trimmed.indexOf(u'#');
    if (hash >= 0)
        stat.note = trimmed.mid(hash + 1).section(u' ', 0, 0);
    return stat;
}

} // namespace

const CaniemailFeature *CaniemailData::feature(const QString &slug) const
{
    const auto it = bySlug.constFind(slug);
    return it == bySlug.cend() ? nullptr : &features[*it];
}

QMap<QString, QStringList> CaniemailData::platforms() const
{
    QMap<QString, QSet<QString>> sets;
    for (const CaniemailFeature &feature : features)
        for (const CaniemailStat &stat : feature.stats)
            sets[stat.platform].insert(familyNames.value(stat.family, stat.family));
    QMap<QString, QStringList> out;
    for (auto it = sets.begin(); it != sets.end(); ++it) {
        QStringList families(it.value().begin(), it.value().end());
        families.sort();
        out.insert(it.key(), families);
    }
    return out;
}

CaniemailData parseCaniemailData(const QByteArray &json)
{
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    CaniemailData data;
    data.apiVersion = root.value(u"api_version").toString();
    data.lastUpdate = root.value(u"last_update_date").toString();
    const QJsonObject nice = root.value(u"nicenames").toObject();
    data.familyNames = names(nice.value(u"family").toObject());
    data.platformNames = names(nice.value(u"platform").toObject());
    for (const QJsonValue &entry : root.value(u"data").toArray()) {
        const QJsonObject object = entry.toObject();
        CaniemailFeature feature;
        feature.slug = object.value(u"slug").toString();
        feature.title = object.value(u"title").toString();
        feature.description = object.value(u"description").toString();
        feature.url = object.value(u"url").toString();
        feature.category = object.value(u"category").toString();
        for (const QJsonValue &tag : object.value(u"tags").toArray())
            feature.tags.append(tag.toString());
        feature.keywords = object.value(u"keywords").toString();
        const QJsonObject notes = object.value(u"notes_by_num").toObject();
        for (auto it = notes.begin(); it != notes.end(); ++it)
            feature.notesByNumber.insert(it.key(), it.value().toString());
        const QJsonObject stats = object.value(u"stats").toObject();
        // QJsonObject sorts keys, so the data's own (chronological) order of versions is lost;
        // scores count every tested version alike, as Mailpit's do, and need no order.
        for (auto family = stats.begin(); family != stats.end(); ++family) {
            const QJsonObject platforms = family.value().toObject();
            for (auto platform = platforms.begin(); platform != platforms.end(); ++platform) {
                const QJsonObject versions = platform.value().toObject();
                for (auto version = versions.begin(); version != versions.end(); ++version) {
                    CaniemailStat stat = parseStat(version.value().toString());
                    stat.family = family.key();
                    stat.platform = platform.key();
                    stat.version = version.key();
                    feature.stats.append(stat);
                }
            }
        }
        if (feature.slug.isEmpty())
            continue;
        data.bySlug.insert(feature.slug, data.features.size());
        data.features.append(std::move(feature));
    }
    return data;
}

const CaniemailData &caniemailData()
{
    static const CaniemailData data = [] {
        QFile file(QStringLiteral(":/caniemail/caniemail.json"));
        return parseCaniemailData(file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
    }();
    return data;
}
