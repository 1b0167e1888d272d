#include "HtmlSource.h"

#include <gumbo.h>

#include <memory>
#include <vector>

namespace {

qsizetype parsedLength(const QByteArray &html)
{
    const qsizetype limit = std::min(html.size(), kMaxParsedHtmlBytes);
    qsizetype tags = 0;
    for (qsizetype i = 0; i < limit; ++i) {
        if (html[i] == '<' && ++tags > kMaxParsedTags)
            return i;
    }
    return limit;
}

struct GumboOutputDeleter
{
    void operator()(GumboOutput *output) const
    {
        gumbo_destroy_output(&kGumboDefaultOptions, output);
    }
};

QString tagName(const GumboElement &element)
{
    if (element.tag != GUMBO_TAG_UNKNOWN)
        return QString::fromLatin1(gumbo_normalized_tagname(element.tag));
    GumboStringPiece original = element.original_tag;
    gumbo_tag_from_original_text(&original);
    return QString::fromUtf8(original.data, static_cast<qsizetype>(original.length)).toLower();
}

HtmlSourceElement sourceElement(const GumboElement &element, const char *base)
{
    HtmlSourceElement out{tagName(element), element.original_tag.data - base, {}};
    for (unsigned i = 0; i < element.attributes.length; ++i) {
        const auto *attribute = static_cast<const GumboAttribute *>(element.attributes.data[i]);
        const GumboStringPiece raw = attribute->original_value;
        const bool quoted = raw.length > 0 && (raw.data[0] == '"' || raw.data[0] == '\'');
        out.attributes.append(
            {QString::fromUtf8(attribute->name).toLower(), QString::fromUtf8(attribute->value),
             attribute->original_name.data - base,
             raw.data ? raw.data - base + (quoted ? 1 : 0) : attribute->original_name.data - base});
    }
    return out;
}

void addElement(HtmlSource &source, const GumboElement &element, const char *base)
{
    source.elements.append(sourceElement(element, base));
    if (element.tag != GUMBO_TAG_STYLE)
        return;
    for (unsigned i = 0; i < element.children.length; ++i) {
        const auto *text = static_cast<const GumboNode *>(element.children.data[i]);
        if (text->type != GUMBO_NODE_TEXT)
            continue;
        const GumboStringPiece raw = text->v.text.original_text;
        source.styleSheets.append(
            {QByteArray(raw.data, static_cast<qsizetype>(raw.length)), raw.data - base});
    }
}

} // namespace

const HtmlSourceAttribute *HtmlSourceElement::attribute(const QString &name) const
{
    for (const HtmlSourceAttribute &a : attributes)
        if (a.name == name)
            return &a;
    return nullptr;
}

HtmlSource parseHtmlSource(const QByteArray &html)
{
    HtmlSource source;
    const qsizetype length = parsedLength(html);
    source.partlyParsed = length < html.size();
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 100; // parse errors are not reported; keeping them all costs memory
    const std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
        gumbo_parse_with_options(&options, html.constData(), static_cast<size_t>(length)));
    const char *base = html.constData();
    if (output->document->v.document.has_doctype)
        source.doctypeOffset = std::max<qsizetype>(0, html.left(length).indexOf("<!"));
    // Without recursion: the input may nest deeply.
    std::vector<const GumboNode *> stack{output->document};
    while (!stack.empty()) {
        const GumboNode *node = stack.back();
        stack.pop_back();
        const GumboVector *children = nullptr;
        if (node->type == GUMBO_NODE_DOCUMENT) {
            children = &node->v.document.children;
        } else if (node->type == GUMBO_NODE_COMMENT) {
            source.comments.append(node->v.text.original_text.data - base);
        } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
            const GumboElement &element = node->v.element;
            children = &element.children;
            // Elements the parser implied (html, head, body around a fragment) were not written.
            if (element.original_tag.length > 0)
                addElement(source, element, base);
        }
        if (children) {
            for (unsigned i = children->length; i > 0; --i)
                stack.push_back(static_cast<const GumboNode *>(children->data[i - 1]));
        }
    }
    return source;
}
