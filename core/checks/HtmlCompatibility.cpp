#include "HtmlCompatibility.h"

#include "CaniemailData.h"
#include "CompatibilityFeatures.h"
#include "CssFeatures.h"
#include "HtmlSource.h"

#include <QHash>

#include <algorithm>
#include <vector>

namespace {

// An ElementAttribute pattern: "input[type=checkbox]", "a[href^=#]", "img[usemap]", "map".
struct ElementCondition
{
    QString element;
    QString attribute; // empty: the element alone
    QString value;     // empty: the attribute's presence
    bool prefix = false;
};

ElementCondition parseCondition(const QString &pattern)
{
    ElementCondition condition;
    const qsizetype bracket = pattern.indexOf(u'[');
    condition.element = pattern.left(bracket < 0 ? pattern.size() : bracket);
    if (bracket < 0)
        return condition;
    const QString inside = pattern.mid(bracket + 1).chopped(1);
    const qsizetype equals = inside.indexOf(u'=');
    if (equals < 0) {
        condition.attribute = inside;
        return condition;
    }
    condition.prefix = equals > 0 && inside.at(equals - 1) == u'^';
    condition.attribute = inside.left(condition.prefix ? equals - 1 : equals);
    condition.value = inside.mid(equals + 1);
    return condition;
}

QString key(FeatureMatch match, const QString &name)
{
    return QString::number(static_cast<int>(match)) + u'|' + name;
}

// The features indexed by what they look for, built once.
struct FeatureIndex
{
    QMultiHash<QString, int> byKey;
    std::vector<std::vector<ElementCondition>> conditions; // per feature, ElementAttribute only

    FeatureIndex()
    {
        const QList<CompatibilityFeature> &features = compatibilityFeatures();
        conditions.resize(features.size());
        for (int i = 0; i < features.size(); ++i) {
            const CompatibilityFeature &feature = features[i];
            // Once per feature and key: a use counts once even when two patterns share a key.
            const auto index = [&](const QString &name) {
                if (!byKey.contains(key(feature.match, name), i))
                    byKey.insert(key(feature.match, name), i);
            };
            if (feature.patterns.isEmpty())
                index({});
            for (const QString &pattern : feature.patterns) {
                if (feature.match == FeatureMatch::ElementAttribute) {
                    conditions[i].push_back(parseCondition(pattern));
                    index(conditions[i].back().element);
                } else if (feature.match == FeatureMatch::PropertyValue) {
                    index(pattern.section(u'=', 0, 0));
                } else if (feature.match == FeatureMatch::ImageFormat) {
                    index({});
                } else {
                    index(pattern);
                }
            }
        }
    }
};

// What looks for a CSS use of `kind` (properties are looked for three ways, see css()).
FeatureMatch matchOf(CssFeatureKind kind)
{
    switch (kind) {
    case CssFeatureKind::Property:
        return FeatureMatch::Property;
    case CssFeatureKind::AtRule:
        return FeatureMatch::AtRule;
    case CssFeatureKind::MediaFeature:
        return FeatureMatch::MediaFeature;
    case CssFeatureKind::Selector:
        return FeatureMatch::Selector;
    case CssFeatureKind::PseudoClass:
        return FeatureMatch::PseudoClass;
    case CssFeatureKind::PseudoElement:
        return FeatureMatch::PseudoElement;
    case CssFeatureKind::Function:
        return FeatureMatch::Function;
    case CssFeatureKind::Unit:
        return FeatureMatch::Unit;
    case CssFeatureKind::Important:
        return FeatureMatch::Important;
    case CssFeatureKind::CustomProperty:
        return FeatureMatch::CustomProperty;
    case CssFeatureKind::Comment:
        return FeatureMatch::CssComment;
    case CssFeatureKind::Nesting:
        return FeatureMatch::Nesting;
    }
    return FeatureMatch::Property;
}

// Whether the use's name picks the feature; the others are one feature whatever their name.
bool hasName(CssFeatureKind kind)
{
    return kind != CssFeatureKind::Important && kind != CssFeatureKind::CustomProperty &&
           kind != CssFeatureKind::Comment && kind != CssFeatureKind::Nesting;
}

const FeatureIndex &featureIndex()
{
    static const FeatureIndex index;
    return index;
}

// Counts the uses of every feature and remembers where the first ones are.
class UseCounter
{
public:
    UseCounter() : m_found(compatibilityFeatures().size(), 0), m_places(m_found.size()) {}

    void element(const HtmlSourceElement &element)
    {
        const FeatureIndex &index = featureIndex();
        const QString &tag = element.tag;
        const qsizetype offset = element.offset;
        const QList<HtmlSourceAttribute> &attributes = element.attributes;
        hitAll(key(FeatureMatch::Element, tag), offset);
        for (const HtmlSourceAttribute &attribute : attributes)
            hitAll(key(FeatureMatch::Attribute, attribute.name), attribute.offset);
        const auto candidates = index.byKey.values(key(FeatureMatch::ElementAttribute, tag));
        for (int feature : candidates) {
            for (const ElementCondition &condition : index.conditions[feature]) {
                if (condition.element == tag && satisfies(condition, attributes)) {
                    hit(feature, offset);
                    break;
                }
            }
        }
        if (const HtmlSourceAttribute *src = tag == u"img" ? element.attribute(u"src"_qs) : nullptr)
            imageFormat(src->value, src->offset);
    }

    void comment(qsizetype offset) { hitAll(key(FeatureMatch::HtmlComment, {}), offset); }
    void doctype(qsizetype offset) { hitAll(key(FeatureMatch::Doctype, {}), offset); }

    void css(const CssFeatures &features, qsizetype base)
    {
        for (const CssFeatureUse &use : features.uses) {
            const qsizetype offset = base + use.offset;
            const QString name = QString::fromUtf8(use.name);
            if (use.kind != CssFeatureKind::Property) {
                hitAll(key(matchOf(use.kind), hasName(use.kind) ? name : QString()), offset);
                continue;
            }
            hitAll(key(FeatureMatch::Property, name), offset);
            const QStringList keywords = QString::fromUtf8(use.value).split(u' ');
            for (int feature :
                 featureIndex().byKey.values(key(FeatureMatch::PropertyValue, name))) {
                if (hasValue(feature, name, keywords))
                    hit(feature, offset);
            }
            for (const QString &keyword : keywords)
                hitAll(key(FeatureMatch::ValueKeyword, keyword), offset);
        }
    }

    int found(int feature) const { return m_found[feature]; }
    const std::vector<qsizetype> &places(int feature) const { return m_places[feature]; }

private:
    static bool satisfies(const ElementCondition &condition,
                          const QList<HtmlSourceAttribute> &attributes)
    {
        if (condition.attribute.isEmpty())
            return true;
        for (const HtmlSourceAttribute &attribute : attributes) {
            if (attribute.name != condition.attribute)
                continue;
            if (condition.value.isEmpty())
                return true;
            const QString value = attribute.value.trimmed();
            return condition.prefix ? value.startsWith(condition.value, Qt::CaseInsensitive)
                                    : value.compare(condition.value, Qt::CaseInsensitive) == 0;
        }
        return false;
    }

    static bool hasValue(int feature, const QString &property, const QStringList &keywords)
    {
        for (const QString &pattern : compatibilityFeatures()[feature].patterns) {
            if (pattern.section(u'=', 0, 0) == property &&
                keywords.contains(pattern.section(u'=', 1)))
                return true;
        }
        return false;
    }

    void imageFormat(const QString &url, qsizetype offset)
    {
        QString path = url.trimmed().toLower();
        const bool inlineData = path.startsWith(u"data:");
        if (!inlineData) { // the path ends where the query or the fragment begins
            const qsizetype query = path.indexOf(u'?');
            const qsizetype fragment = path.indexOf(u'#');
            const qsizetype end = query < 0      ? fragment
                                  : fragment < 0 ? query
                                                 : std::min(query, fragment);
            if (end >= 0)
                path.truncate(end);
        }
        for (int feature : featureIndex().byKey.values(key(FeatureMatch::ImageFormat, {}))) {
            for (const QString &pattern : compatibilityFeatures()[feature].patterns) {
                const bool matches = pattern.startsWith(u'.')
                                         ? !inlineData && path.endsWith(pattern)
                                         : path.startsWith(pattern);
                if (matches) {
                    hit(feature, offset);
                    break;
                }
            }
        }
    }

    void hitAll(const QString &featureKey, qsizetype offset)
    {
        const auto it = featureIndex().byKey.constFind(featureKey);
        for (auto at = it; at != featureIndex().byKey.cend() && at.key() == featureKey; ++at)
            hit(at.value(), offset);
    }

    void hit(int feature, qsizetype offset)
    {
        ++m_found[feature];
        if (static_cast<qsizetype>(m_places[feature].size()) < kMaxLocationsPerFeature)
            m_places[feature].push_back(offset);
    }

    std::vector<int> m_found;
    std::vector<std::vector<qsizetype>> m_places;
};

// Line starts, to turn byte offsets into lines and columns.
class LineIndex
{
public:
    explicit LineIndex(QByteArrayView text) : m_text(text)
    {
        m_starts.push_back(0);
        for (qsizetype i = 0; i < text.size(); ++i)
            if (text[i] == '\n')
                m_starts.push_back(i + 1);
    }

    HtmlLocation locate(qsizetype offset) const
    {
        const auto after = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
        const qsizetype start = *(after - 1);
        int column = 1;
        for (qsizetype i = start; i < offset && i < m_text.size(); ++i)
            if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80) // not a continuation byte
                ++column;
        return {offset, static_cast<int>(after - m_starts.begin()), column};
    }

private:
    QByteArrayView m_text;
    std::vector<qsizetype> m_starts;
};

struct SupportCounts
{
    int yes = 0;
    int no = 0;
    int partial = 0;

    void add(char support)
    {
        if (support == 'y')
            ++yes;
        else if (support == 'n')
            ++no;
        else if (support == 'a')
            ++partial;
    }
    int total() const { return yes + no + partial; }
};

QString supportWord(char support)
{
    switch (support) {
    case 'y':
        return QStringLiteral("yes");
    case 'n':
        return QStringLiteral("no");
    case 'a':
        return QStringLiteral("partial");
    default:
        return QStringLiteral("unknown");
    }
}

// Mailpit's weighting: a feature's partial and unsupported shares count in proportion to how
// much of the document uses it (found / nodes), and the worst feature sets the total. Unlike
// Mailpit, a feature never weighs more than its whole share, so the total stays in 0..100.
struct WeightedTotal
{
    double partial = 0;
    double unsupported = 0;

    void add(double partialShare, double unsupportedShare, int found, int nodes)
    {
        const double weight = std::min(1.0, static_cast<double>(found) / std::max(1, nodes));
        partial = std::max(partial, partialShare * weight);
        unsupported = std::max(unsupported, unsupportedShare * weight);
    }
    double supported() const { return std::max(0.0, 100 - partial - unsupported); }
};

CompatibilityWarning warningFor(const CaniemailData &data, const CaniemailFeature &feature,
                                int found)
{
    CompatibilityWarning warning;
    warning.slug = feature.slug;
    warning.title = feature.title;
    warning.description = caniemailMarkdownToHtml(feature.description);
    warning.url = feature.url;
    warning.category = feature.category;
    warning.tags = feature.tags;
    warning.keywords = feature.keywords;
    for (auto it = feature.notesByNumber.begin(); it != feature.notesByNumber.end(); ++it)
        warning.notesByNumber.insert(it.key(), caniemailMarkdownToHtml(it.value()));
    SupportCounts counts;
    for (const CaniemailStat &stat : feature.stats) {
        counts.add(stat.support);
        warning.results.append(
            {QStringLiteral("%1 %2 (%3)")
                 .arg(data.familyNames.value(stat.family, stat.family),
                      data.platformNames.value(stat.platform, stat.platform), stat.version),
             stat.family, stat.platform, stat.version, supportWord(stat.support), stat.note});
    }
    warning.score.found = found;
    if (counts.total() > 0) {
        warning.score.supported = 100.0 * counts.yes / counts.total();
        warning.score.partial = 100.0 * counts.partial / counts.total();
        warning.score.unsupported = 100.0 * counts.no / counts.total();
    } else {
        warning.score.supported = 100;
    }
    return warning;
}

QList<ClientCompatibility> clientScores(const CaniemailData &data,
                                        const QList<CompatibilityWarning> &warnings, int nodes)
{
    QMap<QPair<QString, QString>, WeightedTotal> totals;
    for (const CompatibilityWarning &warning : warnings) {
        QMap<QPair<QString, QString>, SupportCounts> perClient;
        for (const CompatibilityResult &result : warning.results)
            perClient[{result.family, result.platform}].add(result.support == u"yes"       ? 'y'
                                                            : result.support == u"no"      ? 'n'
                                                            : result.support == u"partial" ? 'a'
                                                                                           : 'u');
        for (auto it = perClient.begin(); it != perClient.end(); ++it) {
            const SupportCounts &counts = it.value();
            WeightedTotal &total = totals[it.key()];
            if (counts.total() > 0)
                total.add(100.0 * counts.partial / counts.total(),
                          100.0 * counts.no / counts.total(), warning.score.found, nodes);
        }
    }
    QList<ClientCompatibility> clients;
    for (auto it = totals.begin(); it != totals.end(); ++it) {
        const auto &[family, platform] = it.key();
        clients.append({family, platform,
                        data.familyNames.value(family, family) + u' ' +
                            data.platformNames.value(platform, platform),
                        it.value().supported(), it.value().partial, it.value().unsupported});
    }
    std::stable_sort(clients.begin(), clients.end(),
                     [](const ClientCompatibility &a, const ClientCompatibility &b) {
                         return a.supported < b.supported;
                     });
    return clients;
}

} // namespace

HtmlCompatibilityReport checkHtmlCompatibility(const QByteArray &html)
{
    const CaniemailData &data = caniemailData();
    HtmlCompatibilityReport report;
    report.platforms = data.platforms();
    report.dataDate = data.lastUpdate;
    report.hasHtml = !html.isEmpty();
    report.htmlBytes = html.size();
    report.gmailClips = html.size() > kGmailClipBytes;
    const QList<CompatibilityFeature> &features = compatibilityFeatures();
    for (const CompatibilityFeature &feature : features)
        report.tests += data.feature(feature.slug) ? 1 : 0;
    if (!report.hasHtml)
        return report;

    const HtmlSource source = parseHtmlSource(html);
    report.partlyChecked = source.partlyParsed;
    UseCounter counter;
    for (const HtmlSourceElement &element : source.elements) {
        if (element.tag != u"html" && element.tag != u"head" && element.tag != u"meta")
            ++report.nodes;
        counter.element(element);
        if (const HtmlSourceAttribute *style = element.attribute(u"style"_qs)) {
            const CssFeatures css = findDeclarationFeatures(style->value.toUtf8());
            report.unterminatedCss = report.unterminatedCss || css.unterminated;
            counter.css(css, style->valueOffset);
        }
    }
    for (const HtmlSourceText &sheet : source.styleSheets) {
        const CssFeatures css = findStyleSheetFeatures(sheet.text);
        report.unterminatedCss = report.unterminatedCss || css.unterminated;
        counter.css(css, sheet.offset);
    }
    for (qsizetype offset : source.comments)
        counter.comment(offset);
    if (source.doctypeOffset >= 0)
        counter.doctype(source.doctypeOffset);

    const LineIndex lines(html);
    WeightedTotal total;
    for (int i = 0; i < features.size(); ++i) {
        const CaniemailFeature *feature = data.feature(features[i].slug);
        if (!feature || counter.found(i) == 0)
            continue;
        CompatibilityWarning warning = warningFor(data, *feature, counter.found(i));
        if (warning.score.supported >= 100)
            continue;
        std::vector<qsizetype> places = counter.places(i);
        std::sort(places.begin(), places.end());
        for (qsizetype offset : places)
            warning.locations.append(lines.locate(offset));
        total.add(warning.score.partial, warning.score.unsupported, warning.score.found,
                  report.nodes);
        report.warnings.append(std::move(warning));
    }
    report.supported = total.supported();
    report.partial = total.partial;
    report.unsupported = total.unsupported;
    const auto weight = [&](const CompatibilityWarning &w) {
        return (w.score.partial + w.score.unsupported) *
               std::min(1.0, static_cast<double>(w.score.found) / std::max(1, report.nodes));
    };
    std::stable_sort(report.warnings.begin(), report.warnings.end(),
                     [&](const CompatibilityWarning &a, const CompatibilityWarning &b) {
                         return weight(a) > weight(b);
                     });
    report.clients = clientScores(data, report.warnings, report.nodes);
    return report;
}

QString caniemailMarkdownToHtml(const QString &markdown)
{
    // Only what caniemail's texts use: `code`, [text](url) and **strong**; everything else is
    // text, escaped.
    QString out;
    out.reserve(markdown.size() + 16);
    bool inCode = false;
    bool inStrong = false;
    for (qsizetype i = 0; i < markdown.size(); ++i) {
        const QChar c = markdown.at(i);
        if (c == u'`') {
            out += inCode ? QStringLiteral("</code>") : QStringLiteral("<code>");
            inCode = !inCode;
            continue;
        }
        if (!inCode && c == u'*' && i + 1 < markdown.size() && markdown.at(i + 1) == u'*') {
            out += inStrong ? QStringLiteral("</strong>") : QStringLiteral("<strong>");
            inStrong = !inStrong;
            ++i;
            continue;
        }
        if (!inCode && c == u'[') {
            const qsizetype close = markdown.indexOf(u']', i);
            if (close > 0 && close + 1 < markdown.size() && markdown.at(close + 1) == u'(') {
                const qsizetype end = markdown.indexOf(u')', close);
                if (end > 0) {
                    const QString url = markdown.mid(close + 2, end - close - 2);
                    out += QStringLiteral("<a href=\"%1\" target=\"_blank\">%2</a>")
                               .arg(url.toHtmlEscaped(),
                                    markdown.mid(i + 1, close - i - 1).toHtmlEscaped());
                    i = end;
                    continue;
                }
            }
        }
        out += QString(c).toHtmlEscaped();
    }
    if (inCode)
        out += QStringLiteral("</code>");
    if (inStrong)
        out += QStringLiteral("</strong>");
    return out;
}
