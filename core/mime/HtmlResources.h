#pragma once

// What the HTML preview needs from a message besides its body: the message's own parts that
// the HTML refers to (cid: and Content-Location), and the remote resources it would load.
// Blocking happens in the renderer; this only finds and counts.

#include "DecodedMessage.h"

#include <QList>
#include <QString>

#include <optional>

enum class RemoteResourceKind
{
    Image,
    Stylesheet,
    Font,
    Script,
    Frame,
    Media,
    Other
};

struct RemoteResource
{
    QString url; // as written, entities and CSS escapes resolved
    RemoteResourceKind kind = RemoteResourceKind::Other;
};

QString remoteResourceKindName(RemoteResourceKind kind);

// Every distinct remote URL (http, https, ftp, ws, wss, protocol-relative "//", and relative
// URLs when a <base href> points at a remote site) that rendering `html` would fetch: element
// sources, srcset candidates, <link href>, background and poster attributes, CSS url() and
// @import in <style> blocks and style attributes. Links the user has to click (<a href>) are not
// resources. A linear scan, safe on hostile input.
QList<RemoteResource> findRemoteResources(const QString &html);

// The path of the part that `url` (from the HTML body) refers to: "cid:" URLs by Content-ID,
// others by Content-Location, looked up among the parts of the same message as the HTML body.
// Empty when nothing matches.
QString findRelatedPart(const DecodedMessage &message, const QString &url);

struct RelatedResource
{
    QString partPath;
    QString mimeType;
    QByteArray content; // transfer-decoded
};

// findRelatedPart() plus the part's bytes, for the preview's URL scheme handler.
std::optional<RelatedResource>
resolveRelatedResource(const QByteArray &raw, const DecodedMessage &message, const QString &url);
