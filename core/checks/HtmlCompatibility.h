#pragma once

// Will this HTML render? The HTML compatibility check: the elements, attributes and CSS a
// message's HTML uses, scored against caniemail's data per feature, per client (family and
// platform) and overall, weighted the way Mailpit weighs them, so that its
// /api/v1/message/{ID}/html-check answers the same numbers for the same data.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

// Gmail shows "[Message clipped]" and hides the rest of an HTML part over about 102 KB.
constexpr qsizetype kGmailClipBytes = 102 * 1024;
// A feature lists at most this many places (and counts them all).
constexpr qsizetype kMaxLocationsPerFeature = 50;

// A place in the HTML: a byte offset into its UTF-8 text, 1-based line and column (in code
// points).
struct HtmlLocation
{
    qsizetype offset = 0;
    int line = 1;
    int column = 1;
};

// One client version's support of a feature, in Mailpit's words.
struct CompatibilityResult
{
    QString name;     // "Outlook Windows (2019)"
    QString family;   // "outlook"
    QString platform; // "windows"
    QString version;
    QString support; // "yes", "no", "partial" or "unknown"
    QString noteNumber;
};

// The share of tested client versions that support a feature (percentages; "unknown" results
// are not counted). `found` is how often the HTML uses it.
struct CompatibilityScore
{
    int found = 0;
    double supported = 0;
    double partial = 0;
    double unsupported = 0;
};

struct CompatibilityWarning
{
    QString slug;
    QString title;
    QString description; // HTML, from caniemail's Markdown
    QString url;
    QString category;
    QStringList tags;
    QString keywords;
    QList<CompatibilityResult> results;
    QMap<QString, QString> notesByNumber; // HTML
    CompatibilityScore score;
    QList<HtmlLocation> locations; // where the HTML uses it, at most kMaxLocationsPerFeature
};

// The weighted score for one client family on one platform.
struct ClientCompatibility
{
    QString family;
    QString platform;
    QString name; // "Outlook Windows"
    double supported = 100;
    double partial = 0;
    double unsupported = 0;
};

struct HtmlCompatibilityReport
{
    bool hasHtml = false;
    QMap<QString, QStringList> platforms; // platform -> client family names
    int nodes = 0;                        // elements, not counting html, head and meta
    int tests = 0;                        // features looked for
    double supported = 100;
    double partial = 0;
    double unsupported = 0;
    QList<CompatibilityWarning> warnings; // worst first
    QList<ClientCompatibility> clients;   // worst first
    qsizetype htmlBytes = 0;
    bool gmailClips = false;      // htmlBytes > kGmailClipBytes
    bool partlyChecked = false;   // HtmlSource.h's bounds stopped the parser before the end
    bool unterminatedCss = false; // a CSS comment, string or url() runs to the end of its block
    QString dataDate;             // caniemail's last_update_date
};

// Checks `html` (UTF-8). Pure: the same HTML always gives the same report.
HtmlCompatibilityReport checkHtmlCompatibility(const QByteArray &html);

// caniemail's Markdown (backticks, links, emphasis) as the HTML that Mailpit sends.
QString caniemailMarkdownToHtml(const QString &markdown);
