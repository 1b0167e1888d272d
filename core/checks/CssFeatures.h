#pragma once

// What CSS uses, in the terms caniemail scores: properties and their keyword values, at-rules
// and media features, selectors, pseudo-classes and pseudo-elements, functions, units,
// !important, custom properties, comments and nesting. A walk over the tokens of
// CssTokenizer.h shaped like CSS Syntax 3 section 5 ("consume a list of rules", "consume a
// list of declarations"), without building a tree.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

enum class CssFeatureKind
{
    Property,       // name: the property; value: its keyword values, space-separated
    AtRule,         // name: without "@"
    MediaFeature,   // name: a feature inside the parentheses of @media or @supports
    Selector,       // name: class, id, attribute, type, universal, descendant, child,
                    // adjacent-sibling, general-sibling, grouping, chaining
    PseudoClass,    // name: without ":"
    PseudoElement,  // name: without "::"; the legacy one-colon forms count here
    Function,       // name: without "("
    Unit,           // name: the unit, "%" for percentages
    Important,      // !important
    CustomProperty, // a --name declaration or var()
    Comment,
    Nesting, // a rule inside a rule's declarations
};

struct CssFeatureUse
{
    CssFeatureKind kind = CssFeatureKind::Property;
    QByteArray name;      // lower case
    QByteArray value;     // Property only
    qsizetype offset = 0; // into the CSS given
};

struct CssFeatures
{
    QList<CssFeatureUse> uses;
    bool truncated = false;    // the tokenizer's limit was reached
    bool unterminated = false; // a comment, string or url() ran to the end of the input
};

// The features of a style sheet (a <style> element's text).
CssFeatures findStyleSheetFeatures(QByteArrayView css);
// The features of a declaration list (a style="" attribute's value).
CssFeatures findDeclarationFeatures(QByteArrayView css);
