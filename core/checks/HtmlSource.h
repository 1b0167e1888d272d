#pragma once

// What an HTML document is made of as written: its elements with their attributes, its
// comments, style sheets and doctype, each with its byte offset. Parsed by gumbo (an HTML5
// parser, libgumbo-dev), so tags, attributes and raw text end where a browser ends them. Shared by
// the HTML compatibility check and the link check.

#include <QByteArray>
#include <QList>
#include <QString>

// Bounds for hostile HTML: the parser sees at most this many tags and bytes. HTML5 tree
// construction scans the stack of open elements for each new tag, so deeply nested input costs
// the square of its depth; bounding the tags bounds that.
constexpr qsizetype kMaxParsedTags = 20'000;
constexpr qsizetype kMaxParsedHtmlBytes = 4 * 1024 * 1024;

struct HtmlSourceAttribute
{
    QString name;              // lower case
    QString value;             // character references resolved
    qsizetype offset = 0;      // of the name
    qsizetype valueOffset = 0; // of the value's first character (after a quote)
};

struct HtmlSourceElement
{
    QString tag;          // lower case
    qsizetype offset = 0; // of its "<"
    QList<HtmlSourceAttribute> attributes;

    const HtmlSourceAttribute *attribute(const QString &name) const;
};

struct HtmlSourceText
{
    QByteArray text;
    qsizetype offset = 0;
};

struct HtmlSource
{
    QList<HtmlSourceElement> elements; // written in the HTML (not implied), in document order
    QList<qsizetype> comments;
    QList<HtmlSourceText> styleSheets; // the text of each <style> element
    qsizetype doctypeOffset = -1;
    bool partlyParsed = false; // a bound above stopped the parser before the end
};

// Never fails; malformed HTML gives what an HTML5 parser makes of it.
HtmlSource parseHtmlSource(const QByteArray &html);
