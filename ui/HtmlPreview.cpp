#include "HtmlPreview.h"

#include "TextBrowserHtmlPreview.h"
#ifdef SMTPEEK_WEBENGINE
#include "WebEngineHtmlPreview.h"
#endif

std::optional<RelatedResource> PreviewMessage::resource(const QString &url) const
{
    if (!decoded)
        return std::nullopt;
    return resolveRelatedResource(raw, *decoded, url);
}

HtmlPreview *createHtmlPreview(bool safeMode, QWidget *parent)
{
#ifdef SMTPEEK_WEBENGINE
    if (!safeMode)
        return new WebEngineHtmlPreview(parent);
#else
    Q_UNUSED(safeMode);
#endif
    return new TextBrowserHtmlPreview(parent);
}

void prepareHtmlPreviewProcess()
{
#ifdef SMTPEEK_WEBENGINE
    WebEngineHtmlPreview::prepareProcess();
#endif
}
