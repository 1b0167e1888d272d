#pragma once

// How each caniemail feature shows in a message's HTML: the table that maps a caniemail slug to
// the elements, attributes, CSS properties, at-rules, selectors, functions and units that use it.

#include <QList>
#include <QString>
#include <QStringList>

enum class FeatureMatch
{
    Element,          // patterns: tag names
    Attribute,        // patterns: attribute names, on any element
    ElementAttribute, // patterns: "input[type=checkbox]", "a[href^=#]", "img[usemap]"
    HtmlComment,
    Doctype,
    ImageFormat,   // patterns: ".png" (the end of an image URL's path) or "data:image/" (a prefix)
    Property,      // patterns: property names
    PropertyValue, // patterns: "display=flex": the property with that keyword in its value
    ValueKeyword,  // patterns: keywords in any property's value
    AtRule,        // patterns: at-rule names without "@"
    MediaFeature,  // patterns: media feature names
    Selector,      // patterns: CssFeatures.h selector kinds
    PseudoClass,
    PseudoElement,
    Function,
    Unit,
    Important,
    CustomProperty,
    CssComment,
    Nesting,
};

struct CompatibilityFeature
{
    QString slug;
    FeatureMatch match;
    QStringList patterns;
};

// Every caniemail feature that can be seen in HTML. (BIMI is a DNS record and a header, not
// HTML, so it is not here.)
const QList<CompatibilityFeature> &compatibilityFeatures();
